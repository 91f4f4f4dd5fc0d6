/** Setup Assistant editor logic for ADE profiles (`skip_setup_items`): public face. */
export { allSetupPanes, setupPane, whyNotSkipKey, SETUP_PLATFORMS, SETUP_PLATFORM_LABELS } from './panes';
export type { SetupPane, SetupPlatform, PanePlatform } from './panes';
export { panesForPlatform, panesByPlatform, skipAllKeys, resolveSkipItems, SKIP_CONVENTIONS } from './editor';
export type { PaneListing, PaneFilter, MinimumOsByPlatform, SkipConvention, ImpliedSkipKey, RejectedSkipKey, ResolvedSkipItems } from './editor';
