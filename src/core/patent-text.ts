/**
 * The text embedded for a patent: title, then abstract when present. A patent imported without a
 * title (it still counts in co-occurrence) has only its abstract, or no text at all: `hasText`
 * says whether it can have a text embedding.
 */
export function patentText(patent: { title: string; abstract?: string }): string {
  const title = patent.title.trim();
  const abstract = patent.abstract?.trim() ?? '';
  if (!title) return abstract;
  return abstract ? `${title}. ${abstract}` : title;
}

export function hasText(patent: { title: string; abstract?: string }): boolean {
  return patentText(patent) !== '';
}
