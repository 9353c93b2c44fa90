// Staff-only routes (ops assistant, reporting) check a shared token sent by the internal dashboard.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const STAFF_TOKEN = Buffer.from(process.env.STAFF_TOKEN ?? '');

export function requireStaff(req: Request, res: Response, next: NextFunction): void {
  const sent = Buffer.from(req.get('x-staff-token') ?? '');
  if (STAFF_TOKEN.length === 0 || sent.length !== STAFF_TOKEN.length || !timingSafeEqual(sent, STAFF_TOKEN)) {
    res.status(401).json({ error: 'staff only' });
    return;
  }
  next();
}
