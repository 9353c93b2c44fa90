// Acme Support Assistant: HTTP entry point.
import express, { type NextFunction, type Request, type Response } from 'express';
import { chatRouter } from './routes/chat';
import { repliesRouter } from './routes/replies';
import { ticketsRouter } from './routes/tickets';
import { kbRouter } from './routes/kb';
import { escalationsRouter } from './routes/escalations';
import { opsRouter } from './routes/ops';
import { reportsRouter } from './routes/reports';

const app = express();
app.use(express.json({ limit: '256kb' }));

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.use('/chat', chatRouter);
app.use('/replies', repliesRouter);
app.use('/tickets', ticketsRouter);
app.use('/kb', kbRouter);
app.use('/escalations', escalationsRouter);
app.use('/ops', opsRouter);
app.use('/admin/reports', reportsRouter);

app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => {
  console.log(`Acme support assistant listening on http://localhost:${port}`);
});
