/**
 * Typed access to express 5. The repository installs express (through @nestjs/platform-express) but not @types/express, and a
 * global `declare module 'express'` here would leak into every app of the program (and shadow the real types once they are
 * added). So the sandbox loads express itself and declares only the slice of its API it uses. Once @types/express is a
 * dependency, this file can become `export { default as express } from 'express'` plus type re-exports.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export type NextFunction = (err?: unknown) => void;

export interface Request extends IncomingMessage {
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  path: string;
  /** The path the current router is mounted at. */
  baseUrl: string;
  originalUrl: string;
  method: string;
  get(name: string): string | undefined;
}

export interface Response extends ServerResponse {
  status(code: number): this;
  json(body: unknown): this;
  send(body: string | Buffer): this;
  type(contentType: string): this;
  set(field: string, value: string): this;
  redirect(status: number, url: string): void;
}

export type RequestHandler = (req: Request, res: Response, next: NextFunction) => void;
export type ErrorRequestHandler = (err: unknown, req: Request, res: Response, next: NextFunction) => void;
type Middleware = RequestHandler | ErrorRequestHandler | Router;

export interface Router {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  use(pathOrHandler: string | Middleware, ...handlers: Middleware[]): this;
  get(path: string, ...handlers: RequestHandler[]): this;
  post(path: string, ...handlers: RequestHandler[]): this;
}

export interface Express extends Router {
  disable(setting: string): this;
  set(setting: string, value: unknown): this;
}

interface BodyParserOptions {
  limit?: string;
  strict?: boolean;
  type?: string | string[];
}

export interface ExpressStatic {
  (): Express;
  Router(): Router;
  json(options?: BodyParserOptions): RequestHandler;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the header: no type declarations to import against
export const express = require('express') as ExpressStatic;
