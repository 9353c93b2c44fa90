import { sanitizeArticleHtml } from '@acme/guard';
import { sendHtmlEmail } from '@acme/mailer';
import { searchKnowledgeBase } from '../services/knowledge-base';

/** The weekly digest of new knowledge-base articles, mailed to the support team. */
export async function sendWeeklyDigest(to: string): Promise<void> {
  const articles = await searchKnowledgeBase('updated:7d', 20);
  const items = articles.map((a) => `<li><a href="${a.url}">${a.title}</a><div>${a.body}</div></li>`).join('');
  // wirecheck-expect: acme/kb-html-in-email
  await sendHtmlEmail({ to, subject: 'New in the knowledge base', html: `<ul>${items}</ul>` });
}

export async function sendArticle(to: string, query: string): Promise<void> {
  const [article] = await searchKnowledgeBase(query, 1);
  if (!article) return;
  // wirecheck-ok: acme/kb-html-in-email
  await sendHtmlEmail({ to, subject: article.title, html: sanitizeArticleHtml(article.body) });
}
