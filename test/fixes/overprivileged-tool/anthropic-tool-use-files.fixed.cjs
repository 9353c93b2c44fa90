// CLI assistant on Anthropic tool use (CommonJS): the `save_file` handler writes wherever the model says.
const fs = require('fs');
const Anthropic = require('@anthropic-ai/sdk');
const path = require('path');

const anthropic = new Anthropic();

const handlers = {
  save_file: (input) => {
    const resolvedPath = path.resolve(input.path);
    if (!resolvedPath.startsWith(process.cwd() + path.sep)) throw new Error('path escapes the working directory');
    fs.writeFileSync(resolvedPath, input.text, 'utf8');
    return `saved ${input.text.length} characters`;
  },
};

async function assist(task) {
  const msg = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 2048,
    system: 'You help write small text files for the user.',
    messages: [{ role: 'user', content: task }],
    tools: [
      {
        name: 'save_file',
        description: 'Save text to a file.',
        input_schema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path', 'text'] },
      },
    ],
  });
  for (const block of msg.content) {
    if (block.type === 'tool_use') return handlers[block.name](block.input);
  }
  return null;
}

module.exports = { assist };
