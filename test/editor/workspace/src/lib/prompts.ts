// Prompt building blocks shared by the routes.
export function escalationPrompt(team: string): string {
  return `You write hand-over notes for the ${team} team. Keep them under 120 words.`;
}
