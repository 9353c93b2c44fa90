// Browser chat widget (local prototype on the OpenAI SDK): replies and suggested follow-ups are inserted as HTML.
import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: localStorage.getItem('openai-key') ?? '', dangerouslyAllowBrowser: true });

const form = document.querySelector<HTMLFormElement>('#chat-form')!;
const input = document.querySelector<HTMLInputElement>('#chat-input')!;
const log = document.querySelector<HTMLDivElement>('#chat-log')!;
const followUps = document.querySelector<HTMLUListElement>('#follow-ups')!;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = input.value;
  input.value = '';

  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'You are a helpful assistant. End with one suggested follow-up question after "Next:".' },
      { role: 'user', content: question },
    ],
  });
  const reply = completion.choices[0].message.content ?? '';

  const bubble = document.createElement('div');
  bubble.className = 'bubble assistant';
  bubble.innerHTML = reply;
  log.appendChild(bubble);

  const next = reply.split('Next:')[1]?.trim();
  if (next) followUps.insertAdjacentHTML('beforeend', `<li class="follow-up">${next}</li>`);
});
