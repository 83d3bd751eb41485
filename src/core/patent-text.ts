/** The text embedded for a patent: title, then abstract when present. */
export function patentText(patent: { title: string; abstract?: string }): string {
  return patent.abstract ? `${patent.title}. ${patent.abstract}` : patent.title;
}
