// Gemini function calling as structured output: the model decides where the organised notes are saved and which template is read.
import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ai = new GoogleGenAI({});

export async function exportNotes(notes: string): Promise<void> {
  const response = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: notes,
    config: {
      systemInstruction: 'Organise the notes, pick a template file and decide where they should be saved.',
      tools: [
        {
          functionDeclarations: [
            {
              name: 'save_notes',
              description: 'Where to save the organised notes, the template to use and the text.',
              parameters: {
                type: Type.OBJECT,
                properties: { path: { type: Type.STRING }, template: { type: Type.STRING }, text: { type: Type.STRING } },
                required: ['path', 'template', 'text'],
              },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
    },
  });

  const args = response.functionCalls?.[0]?.args as { path: string; template: string; text: string } | undefined;
  if (!args) return;
  const resolvedTemplate = path.resolve(args.template);
  if (!resolvedTemplate.startsWith(process.cwd() + path.sep)) throw new Error('path escapes the working directory');
  const header = await readFile(resolvedTemplate, 'utf8');
  const resolvedPath = path.resolve(args.path);
  if (!resolvedPath.startsWith(process.cwd() + path.sep)) throw new Error('path escapes the working directory');
  await writeFile(resolvedPath, header + args.text, 'utf8');
}
