import express from 'express';
import { chatRouter } from './routes/chat.js';
import { escalateRouter } from './routes/escalate.js';

const app = express();
app.use(express.json());
app.use(chatRouter);
app.use(escalateRouter);
app.listen(Number(process.env.PORT ?? 3000));
