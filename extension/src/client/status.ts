/** The status bar item: server state and the number of Wirecheck findings; a click opens Problems. */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, type StatusParams } from '../shared/protocol';

const ICONS: Record<StatusParams['state'], string> = {
  starting: '$(sync~spin)',
  ready: '$(shield)',
  busy: '$(sync~spin)',
  restricted: '$(workspace-untrusted)',
  disabled: '$(circle-slash)',
  error: '$(error)',
};

/** Findings (not notices such as an unused suppression) carry a rule id `<category>/<name>`. */
function isFinding(d: vscode.Diagnostic): boolean {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return d.source === DIAGNOSTIC_SOURCE && typeof code === 'string' && code.includes('/');
}

export function countFindings(): { findings: number; files: number } {
  let findings = 0;
  let files = 0;
  for (const [, list] of vscode.languages.getDiagnostics()) {
    const n = list.filter(isFinding).length;
    findings += n;
    if (n) files++;
  }
  return { findings, files };
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private status: StatusParams = { state: 'starting', message: 'Starting the Wirecheck server…' };
  private count = { findings: 0, files: 0 };
  private timer?: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('wirecheck.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Wirecheck';
    this.item.command = { title: 'Open Problems', command: 'workbench.actions.view.problems' };
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => {
        // diagnostics change in bursts (a workspace scan): count once per burst
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.count = countFindings();
          this.render();
        }, 50);
      }),
    );
    this.render();
    this.item.show();
  }

  set(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  get state(): StatusParams['state'] {
    return this.status.state;
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const { state, message } = this.status;
    const n = this.count.findings;
    this.item.text = `${ICONS[state]} Wirecheck${n ? ` ${n}` : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Wirecheck**: ${state === 'ready' ? 'ready' : state}\n\n`);
    if (message) md.appendText(message + '\n\n');
    md.appendMarkdown(n ? `${n} finding${n === 1 ? '' : 's'} in ${this.count.files} file${this.count.files === 1 ? '' : 's'}. ` : 'No findings. ');
    md.appendMarkdown('Click to open Problems.');
    this.item.tooltip = md;
    this.item.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : state === 'restricted' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Wirecheck ${state}, ${n} findings` };
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
