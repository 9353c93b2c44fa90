// Release notes preview (browser, local Ollama): the model's Markdown is rendered and shown as HTML.
import ollama from 'ollama/browser';
import DOMPurify from 'dompurify';

declare const marked: { parse(markdown: string, options: { async: false }): string };

const preview = document.getElementById('preview') as HTMLElement;

export async function renderReleaseNotes(commits: string[]): Promise<void> {
  const res = await ollama.chat({
    model: 'llama3.1:8b',
    messages: [
      { role: 'system', content: 'Write user-facing release notes in Markdown from the commit list.' },
      { role: 'user', content: commits.join('\n') },
    ],
  });
  preview.innerHTML = DOMPurify.sanitize(marked.parse(res.message.content, { async: false }));
}
