// Hono route on Gemini: the summary style comes from the query string.
import { Hono } from 'hono';
import { GoogleGenAI } from '@google/genai';

const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
const app = new Hono();

app.post('/summarize', async (c) => {
  const style = c.req.query('style') ?? 'bullet points';
  const { text } = await c.req.json<{ text: string }>();
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: [`<style>\n${style}\n</style>`, text],
    config: { systemInstruction: `Summarize the user's text as <style>. Do not add facts.` },
  });
  return c.json({ summary: response.text });
});

export default app;
