/** Top-level component: shell, navigation state, and the app-level bench state. */
import { useState } from 'react';
import { AppShell } from './shell/AppShell';
import type { PageId } from './shell/nav';
import { useAppInfo } from './hooks/useAppInfo';
import { BenchContext, useBenchState } from './hooks/useBench';
import { BenchPage } from './pages/bench/BenchPage';
import { ProfilesPage } from './pages/profiles/ProfilesPage';

/** The application. */
export function App() {
  const [page, setPage] = useState<PageId>('bench');
  const info = useAppInfo();
  const bench = useBenchState();
  return (
    <BenchContext.Provider value={bench}>
      <AppShell page={page} onNavigate={setPage} info={info}>
        {page === 'bench' && <BenchPage info={info} onOpenProfiles={() => setPage('profiles')} />}
        {page === 'profiles' && <ProfilesPage />}
      </AppShell>
    </BenchContext.Provider>
  );
}
