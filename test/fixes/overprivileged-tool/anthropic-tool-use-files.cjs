// CLI assistant on Anthropic tool use (CommonJS): the `save_file` handler writes wherever the model says.
const fs = require('fs');
const Anthropic = require('@anthropic-ai/sdk');

const anthropic = new Anthropic();

const handlers = {
  save_file: (input) => {
    fs.writeFileSync(input.path, input.text, 'utf8');
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
