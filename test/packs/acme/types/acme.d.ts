// Type declarations of Acme's internal packages, so that the example app type-checks.
declare module '@acme/llm' {
  export interface Completion {
    text: string;
    usage: { inputTokens: number; outputTokens: number };
  }
  export interface CompleteRequest {
    system: string;
    input: string;
    model?: string;
    temperature?: number;
  }
  export interface Gateway {
    complete(req: CompleteRequest): Promise<Completion>;
    stream(req: CompleteRequest): AsyncIterable<string>;
  }
  export const acmeLLM: Gateway;
  export function createGateway(opts: { team: string }): Gateway;
}

declare module '@acme/kb' {
  export interface Article {
    id: string;
    title: string;
    body: string;
  }
  export function searchKnowledgeBase(query: string, opts?: { limit?: number }): Promise<Article[]>;
}

declare module '@acme/guard' {
  export function assertSafePrompt(text: string): void;
  export function assertReadOnlySql(sql: string): void;
  export function sanitizeArticleHtml(html: string): string;
}

declare module '@acme/db' {
  export const db: {
    rawQuery<T = Record<string, unknown>>(sql: string): Promise<T[]>;
    query<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  };
}

declare module '@acme/mailer' {
  export function sendHtmlEmail(msg: { to: string; subject: string; html: string }): Promise<void>;
}
