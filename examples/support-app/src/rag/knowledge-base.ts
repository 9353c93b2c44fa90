// Help-center knowledge base: article chunks embedded with OpenAI and stored in Postgres (pgvector).
import { VectorStore } from '@langchain/core/vectorstores';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Pool } from 'pg';
import { pool } from '../lib/db';

interface ChunkRow {
  content: string;
  metadata: Record<string, unknown>;
  distance: number;
}

/** A minimal LangChain vector store over a `kb_chunks(content text, metadata jsonb, embedding vector)` table. */
export class PgKnowledgeBaseStore extends VectorStore {
  declare FilterType: { product?: string };

  private readonly pool: Pool;
  private readonly table: string;

  constructor(embeddings: EmbeddingsInterface, config: { pool: Pool; table: string }) {
    super(embeddings, config);
    this.pool = config.pool;
    this.table = config.table;
  }

  _vectorstoreType(): string {
    return 'acme-pgvector';
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    for (const [i, doc] of documents.entries()) {
      await this.pool.query(`INSERT INTO ${this.table} (content, metadata, embedding) VALUES ($1, $2, $3::vector)`, [
        doc.pageContent,
        doc.metadata,
        JSON.stringify(vectors[i]),
      ]);
    }
  }

  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[DocumentInterface, number][]> {
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT content, metadata, embedding <=> $1::vector AS distance
         FROM ${this.table}
        WHERE ($3::text IS NULL OR metadata->>'product' = $3)
        ORDER BY distance
        LIMIT $2`,
      [JSON.stringify(query), k, filter?.product ?? null],
    );
    return rows.map((r) => [new Document({ pageContent: r.content, metadata: r.metadata }), 1 - r.distance]);
  }
}

export const knowledgeBase = new PgKnowledgeBaseStore(new OpenAIEmbeddings({ model: 'text-embedding-3-small' }), {
  pool,
  table: 'kb_chunks',
});

/** The help-center chunks most similar to the question. */
export async function searchKnowledgeBase(question: string, k = 4): Promise<DocumentInterface[]> {
  return knowledgeBase.similaritySearch(question, k);
}

/** Numbers the chunks so the model can cite them as [1], [2], ... */
export function formatArticles(docs: DocumentInterface[]): string {
  return docs.map((d, i) => `[${i + 1}] ${String(d.metadata.title ?? 'Untitled')}\n${d.pageContent}`).join('\n\n');
}
