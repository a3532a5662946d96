/** The minor release of a version (`4.17.9` -> `4.17`), and the update channel the upgrade reads its edges from. */
export const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');
export const channelOf = (version: string) => `stable-${minorOf(version)}`;
