// CLI config assistant (CommonJS, Ollama): the model's proposed config object and transform are evaluated.
const ollama = require('ollama').default;

async function proposeConfig(goal) {
  const res = await ollama.generate({
    model: 'llama3.1:8b',
    system: 'Reply with a JavaScript object literal for the build config. No prose.',
    prompt: goal,
  });
  const text = res.response.trim();
  const config = eval('(' + text + ')');
  return config;
}

async function proposeTransform(description) {
  const res = await ollama.generate({
    model: 'llama3.1:8b',
    system: 'Reply with the body of a JavaScript function (row) => row that does what is asked.',
    prompt: description,
  });
  const transform = new Function('row', res.response);
  return transform;
}

module.exports = { proposeConfig, proposeTransform };
