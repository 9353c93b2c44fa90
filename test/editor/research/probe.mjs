// An experiment run in the sandbox: records what it could reach, in the workspace.
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const result = { sshKeyReadable: false, envFileReadable: false };
try {
  readFileSync(join(homedir(), '.ssh', 'id_rsa'), 'utf8');
  result.sshKeyReadable = true;
} catch {
  // denied
}
try {
  result.envFileReadable = readFileSync('.env', 'utf8').includes('OPENAI_API_KEY');
} catch {
  // denied
}
writeFileSync('sandbox-result.json', JSON.stringify(result));
console.log('probe finished', result);
