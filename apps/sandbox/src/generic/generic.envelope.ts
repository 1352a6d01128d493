import type { Response } from '../express-typed';

/** An error the generic gateway answers with its error envelope (HTTP status = `message.code`). */
export class GenericApiError extends Error {
  readonly messages: string[];

  constructor(
    readonly status: number,
    messages: string | string[],
  ) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join('; '));
    this.messages = list;
  }
}

export const unauthenticated = (): GenericApiError => new GenericApiError(401, 'Unauthenticated');

export function sendSuccess(res: Response, data: object): void {
  res.status(200).json({ message: { code: 200, success: ['SUCCESS'] }, data, type: 'success' });
}

export function sendError(res: Response, status: number, messages: string[]): void {
  res.status(status).json({ message: { code: status, error: messages }, data: [], type: 'error' });
}
