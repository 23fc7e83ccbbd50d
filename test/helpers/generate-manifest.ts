/** A manifest with `count` tokens over `databases`, each reading one database and some writing. */
export function generateManifest(count: number, databases: string[], extra = ''): string {
  const lines = ['version: 1', 'tokens:'];
  for (let i = 0; i < count; i += 1) {
    const db = databases[i % databases.length] ?? 'db';
    lines.push(`  - name: token-${String(i).padStart(5, '0')}`);
    lines.push(`    description: Token ${i} for ${db}${extra}`);
    lines.push(`    read: [${db}]`);
    if (i % 3 === 0) lines.push(`    write: [${db}]`);
  }
  return `${lines.join('\n')}\n`;
}
