export interface KbArticle {
  id: string;
  title: string;
  body: string;
  url: string;
}

const KB_URL = process.env.KB_URL ?? 'https://kb.internal.acme.example';

/** Full-text search over the support knowledge base. */
export async function searchKnowledgeBase(query: string, limit = 5): Promise<KbArticle[]> {
  const res = await fetch(`${KB_URL}/api/search?q=${encodeURIComponent(query)}&limit=${limit}`);
  if (!res.ok) throw new Error(`knowledge base search failed: ${res.status}`);
  const data = (await res.json()) as { hits: KbArticle[] };
  return data.hits;
}
