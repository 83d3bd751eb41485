/**
 * The BREF tree with counts: documents → chapters → sections (by parentId, through the catalogue's
 * own tree), each node with the distinct patents matched at or below it; and a section's patents.
 *
 * Which nodes are shown (`relevantOnly`), precisely:
 * - no pollutant selected: a node is shown when its count is > 0;
 * - a pollutant selected: a node is shown when it is linked to the pollutant — it, or a section
 *   below it, lists the pollutant (a document: any of its sections) — whatever its count, so the
 *   techniques for a pollutant that no patent matches stay visible as gaps.
 * Children of a hidden node are hidden with it (a node shown by these rules always has its chain
 * up to the document shown, since count and link both roll up).
 * Without `relevantOnly` every node is shown; `linked` still marks the pollutant's part of the tree.
 */
import type { CatalogueNode } from '../catalogue/types';
import type { MatchCounts } from './counts';
import { type ListOptions, type ListedPatent, topPairs } from './pollutants';
import { listCut, type MatchTable, scoreCut, type Thresholds } from './match-table';

export interface BrefTreeNode {
  kind: 'document' | 'section';
  /** Document code or section id. */
  id: string;
  /** Dotted section number; '' for a document. */
  number: string;
  title: string;
  /** Distinct patents matched at this node or below it (MatchCounts.nodes). */
  count: number;
  /** Linked to the selected pollutant; true for every node when none is selected. */
  linked: boolean;
  children: BrefTreeNode[];
}

export interface TreeOptions {
  relevantOnly?: boolean;
  /** A catalogue pollutant index, or null for none. */
  pollutant?: number | null;
}

export function brefTree(table: MatchTable, counts: MatchCounts, options: TreeOptions = {}): BrefTreeNode[] {
  const { index } = table;
  const catalogue = table.catalogue;
  const pollutant = options.pollutant ?? null;
  const linked = pollutant === null ? null : index.linkedNodes(pollutant);
  const shown = (node: number): boolean => {
    if (!options.relevantOnly) return true;
    return linked ? linked[node] === 1 : counts.nodes[node] > 0;
  };
  const sectionNode = (n: CatalogueNode): BrefTreeNode | null => {
    const node = index.nodeOf(n.section.id);
    if (!shown(node)) return null;
    return {
      kind: 'section',
      id: n.section.id,
      number: n.section.number,
      title: n.section.title,
      count: counts.nodes[node],
      linked: linked ? linked[node] === 1 : true,
      children: n.children.map(sectionNode).filter((c): c is BrefTreeNode => c !== null),
    };
  };
  const out: BrefTreeNode[] = [];
  catalogue.documents.forEach((d, node) => {
    if (!shown(node)) return;
    out.push({
      kind: 'document',
      id: d.code,
      number: '',
      title: d.name,
      count: counts.nodes[node],
      linked: linked ? linked[node] === 1 : true,
      children: catalogue.chapters(d.code).map(sectionNode).filter((c): c is BrefTreeNode => c !== null),
    });
  });
  return out;
}

export interface SectionPatents {
  sectionId: string;
  /** Patents matched at this section itself (not below it) at the relevance threshold. */
  patents: number;
  /** Of those, the ones passing the display threshold. */
  shown: number;
  /** The best `limit` of the shown ones, by score (ties: the order patents came in). */
  top: ListedPatent[];
}

/** A section's own patents ranked by score (a chapter's list is its own pairs, not its children's). */
export function sectionPatents(table: MatchTable, sectionId: string, thresholds: Thresholds, options: ListOptions = {}): SectionPatents {
  const s = table.index.sectionIndex(sectionId);
  if (s === -1) throw new RangeError(`Section ${sectionId} is not in the catalogue.`);
  const { start, pairs } = table.bySection();
  const relevance = scoreCut(thresholds.relevance);
  const display = listCut(thresholds);
  table.checkSelection(options.selection);
  const inSelection = options.selection ? new Set(options.selection.patents) : null;
  let patents = 0;
  const listed: number[] = [];
  for (let k = start[s]; k < start[s + 1]; k++) {
    const pair = pairs[k];
    const value = table.score[pair];
    if (!(value >= relevance)) break;
    if (inSelection && !inSelection.has(table.patentOfPair(pair))) continue;
    patents++;
    if (value >= display) listed.push(pair);
  }
  const limit = Math.max(0, options.limit ?? 50);
  const top = listed.slice(0, limit).map((pair): ListedPatent => {
    const patent = table.patentOfPair(pair);
    return { patentId: table.patentIds[patent], patent, pair, section: table.sectionOfPair(pair), score: table.score[pair] };
  });
  return { sectionId, patents, shown: listed.length, top };
}

export interface NodePatents {
  /** Document code or section id. */
  id: string;
  /** Distinct patents matched at or below the node: the node's count in the tree. */
  patents: number;
  /** Of those, the ones whose best pair under the node passes the display threshold. */
  shown: number;
  /** The best `limit` of the shown ones, each with its best section under the node. */
  top: ListedPatent[];
}

/**
 * The patents behind a tree node's count (a document, a chapter, any section): each patent once,
 * with its best matched pair at or below the node. One pass over the (selected) patents' pairs.
 */
export function nodePatents(table: MatchTable, id: string, thresholds: Thresholds, options: ListOptions = {}): NodePatents {
  const { index, patentStart, section, score } = table;
  const node = index.nodeOf(id);
  if (node === -1) throw new RangeError(`${id} is neither a document nor a section of the catalogue.`);
  const under = new Uint8Array(index.sectionCount);
  for (let s = 0; s < index.sectionCount; s++) {
    for (let r = index.rollupStart[s]; r < index.rollupStart[s + 1]; r++) if (index.rollup[r] === node) under[s] = 1;
  }
  const relevance = scoreCut(thresholds.relevance);
  const display = listCut(thresholds);
  let patents = 0;
  const best: number[] = [];
  table.forEachPatent(options.selection, (p) => {
    // Best first: the first pair under the node is the patent's best there.
    for (let k = patentStart[p]; k < patentStart[p + 1] && score[k] >= relevance; k++) {
      if (!under[section[k]]) continue;
      patents++;
      if (score[k] >= display) best.push(k);
      return;
    }
  });
  return { id, patents, shown: best.length, top: topPairs(table, best, options.limit ?? 50) };
}
