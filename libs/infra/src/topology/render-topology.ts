/**
 * Renderers of the fleet topology: Mermaid (README, PR comments), Graphviz DOT, and SVG rendered in-process from the
 * DOT by Graphviz compiled to WebAssembly (@viz-js/viz, pinned; no browser, no network). All deterministic.
 */
import type { EdgeKind, FleetTopology, TopologyGroup, TopologyNode } from './fleet-topology.ts';

const MERMAID_ARROWS: Readonly<Record<EdgeKind, string>> = {
  request: '==>',
  peering: '<-.->',
  pull: '-.->',
  replicate: '-.->',
  sync: '-->',
};

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

export function renderMermaid(topology: FleetTopology): string {
  const lines = ['flowchart LR'];
  const node = (n: TopologyNode, indent: string) =>
    lines.push(`${indent}${n.id}["${n.label.map(mermaidText).join('<br/>')}"]`);
  const group = (g: TopologyGroup, indent: string): void => {
    lines.push(`${indent}subgraph ${g.id}["${mermaidText(g.label)}"]`);
    for (const n of g.nodes) node(n, `${indent}  `);
    for (const child of g.groups) group(child, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const n of topology.nodes) node(n, '  ');
  for (const g of topology.groups) group(g, '  ');
  for (const e of topology.edges) {
    lines.push(`  ${e.from} ${MERMAID_ARROWS[e.kind]}${e.label ? `|"${mermaidText(e.label)}"|` : ''} ${e.to}`);
  }
  return `${lines.join('\n')}\n`;
}

const DOT_EDGE_STYLES: Readonly<Record<EdgeKind, string>> = {
  request: 'color="#1f6feb", penwidth=2',
  peering: 'style=dashed, dir=both, color="#6e7781"',
  pull: 'style=dotted, color="#8250df"',
  replicate: 'style=dotted, color="#8250df"',
  sync: 'color="#1a7f37"',
};

function dotString(text: string): string {
  return JSON.stringify(text);
}

export function renderDot(topology: FleetTopology): string {
  const lines = [
    'digraph fleet {',
    `  label=${dotString(topology.title)}; labelloc=t; rankdir=LR; fontname="Helvetica"; fontsize=14;`,
    '  node [shape=box, style="rounded,filled", fillcolor="#f6f8fa", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const node = (n: TopologyNode, indent: string) =>
    lines.push(`${indent}${n.id} [label=${dotString(n.label.join('\n'))}];`);
  const group = (g: TopologyGroup, indent: string): void => {
    lines.push(
      `${indent}subgraph cluster_${g.id} {`,
      `${indent}  label=${dotString(g.label)}; style=rounded; color="#d0d7de";`,
    );
    for (const n of g.nodes) node(n, `${indent}  `);
    for (const child of g.groups) group(child, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const n of topology.nodes) node(n, '  ');
  for (const g of topology.groups) group(g, '  ');
  for (const e of topology.edges) {
    lines.push(`  ${e.from} -> ${e.to} [${DOT_EDGE_STYLES[e.kind]}${e.label ? `, label=${dotString(e.label)}` : ''}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** SVG of a DOT graph, rendered by Graphviz (WebAssembly) in this process. Loaded on first use (it is large). */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const svg = viz.renderString(dot, { format: 'svg' });
  return svg.endsWith('\n') ? svg : `${svg}\n`;
}
