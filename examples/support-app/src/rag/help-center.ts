// Fetches public help-center articles and reduces them to plain text.
const HELP_CENTER_URL = process.env.HELP_CENTER_URL ?? 'https://help.acme.example';

export async function fetchHelpArticle(slug: string): Promise<string> {
  const res = await fetch(`${HELP_CENTER_URL}/articles/${encodeURIComponent(slug)}`, {
    headers: { Accept: 'text/html' },
  });
  if (!res.ok) throw new Error(`help center returned ${res.status} for ${slug}`);
  const html = await res.text();
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .slice(0, 20_000);
}
