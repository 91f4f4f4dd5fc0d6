/**
 * Top-level component: routing (location hash), the app-level state (bench, status, settings),
 * the shell with its palette, shortcuts help, setup wizard and drag-and-drop, and the pages.
 */
import { useCallback, useEffect, useState } from 'react';
import { useToast } from './components/Toasts';
import { IdentityImportDialog } from './drop/IdentityImportDialog';
import { DropOverlay } from './drop/DropOverlay';
import { MobileconfigDialog } from './drop/MobileconfigDialog';
import { useDroppedFiles } from './drop/useDroppedFiles';
import { useAppInfo } from './hooks/useAppInfo';
import { useAppStatus } from './hooks/useAppStatus';
import { BenchContext, useBenchState } from './hooks/useBench';
import { useSettings } from './hooks/useSettings';
import { AuditPage } from './pages/audit/AuditPage';
import { BenchPage } from './pages/bench/BenchPage';
import { DevicesPage } from './pages/devices/DevicesPage';
import { EnrollmentPage } from './pages/enrollment/EnrollmentPage';
import { OrganizationsPage } from './pages/organizations/OrganizationsPage';
import { ProfilesPage } from './pages/profiles/ProfilesPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SyncPage } from './pages/sync/SyncPage';
import { UsersPage } from './pages/users/UsersPage';
import { SetupWizard } from './setup/SetupWizard';
import { AppShell } from './shell/AppShell';
import { CommandPalette, type PaletteTarget } from './shell/CommandPalette';
import { OfflineBanner } from './shell/OfflineBanner';
import type { PageId } from './shell/nav';
import { parseHash, toHash, type Route } from './shell/route';
import { useGlobalShortcuts } from './shell/shortcuts';
import { ShortcutsDialog } from './shell/ShortcutsDialog';
import { StatusBar } from './shell/StatusBar';
import { useThemeMode } from './theme-mode';

/** The application. */
export function App() {
  const toast = useToast();
  const info = useAppInfo();
  const bench = useBenchState(toast);
  const { status, refresh: refreshStatus } = useAppStatus();
  const settings = useSettings();
  const theme = useThemeMode();
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [setupOpen, setSetupOpen] = useState(false);
  const [profilesVersion, setProfilesVersion] = useState(0);

  const go = useCallback((next: Route) => {
    setRoute(next);
    const hash = toHash(next);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, []);
  const navigate = useCallback((page: PageId) => go({ page }), [go]);

  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // First run: open the setup wizard once the settings say it was never finished or skipped.
  const firstRun = settings.settings !== null && settings.settings.setupCompletedAt === null;
  useEffect(() => {
    if (firstRun) setSetupOpen(true);
  }, [firstRun]);

  const toggleTheme = useCallback(() => theme.setChoice(theme.mode === 'dark' ? 'light' : 'dark'), [theme]);
  useGlobalShortcuts({ openPalette: () => setPaletteOpen(true), openHelp: () => setHelpOpen(true), toggleTheme, navigate });

  const dropped = useDroppedFiles(status, toast, navigate);

  const onPalette = (t: PaletteTarget) => {
    if (t.kind === 'page') navigate(t.page);
    else if (t.kind === 'device') go({ page: 'devices', search: t.search });
    else if (t.kind === 'profile') navigate('profiles');
    else if (t.command === 'theme') toggleTheme();
    else if (t.command === 'help') setHelpOpen(true);
    else setSetupOpen(true);
  };

  const page = route.page;
  return (
    <BenchContext.Provider value={bench}>
      <AppShell
        page={page}
        onNavigate={navigate}
        onOpenPalette={() => setPaletteOpen(true)}
        onOpenHelp={() => setHelpOpen(true)}
        badges={{ bench: bench.devices.length }}
        fill={page === 'devices' || page === 'audit'}
        statusBar={
          <StatusBar
            status={status}
            attached={bench.devices.length}
            staging={{ running: bench.running, done: bench.runFinished, total: bench.runTotal }}
            info={info}
            onNavigate={navigate}
          />
        }
      >
        <OfflineBanner status={status} page={page} onNavigate={navigate} />
        {page === 'organizations' && <OrganizationsPage />}
        {page === 'bench' && <BenchPage info={info} onOpenProfiles={() => navigate('profiles')} />}
        {page === 'profiles' && <ProfilesPage key={profilesVersion} />}
        {page === 'devices' && <DevicesPage initialSearch={route.search} onNavigate={navigate} />}
        {page === 'users' && <UsersPage status={status} onNavigate={navigate} />}
        {page === 'enrollment' && <EnrollmentPage status={status} onNavigate={navigate} />}
        {page === 'sync' && <SyncPage status={status} onNavigate={navigate} onChanged={refreshStatus} />}
        {page === 'audit' && <AuditPage onNavigate={navigate} />}
        {page === 'settings' && <SettingsPage settings={settings} info={info} onRunSetup={() => setSetupOpen(true)} onOpenHelp={() => setHelpOpen(true)} />}
      </AppShell>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} onSelect={onPalette} />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      <SetupWizard
        open={setupOpen}
        settings={settings}
        status={status}
        attached={bench.devices.length}
        onClose={() => setSetupOpen(false)}
        onFinish={(p) => {
          setSetupOpen(false);
          navigate(p);
        }}
      />
      <DropOverlay onFiles={dropped.onFiles} />
      <MobileconfigDialog
        file={dropped.mobileconfig}
        devices={bench.devices}
        onClose={dropped.closeMobileconfig}
        onImported={() => setProfilesVersion((v) => v + 1)}
      />
      <IdentityImportDialog
        file={dropped.p12}
        onClose={dropped.closeP12}
        onImported={(row) => {
          dropped.closeP12();
          setProfilesVersion((v) => v + 1);
          toast({ severity: 'success', message: `Signing identity “${row.label}” imported`, action: { label: 'Open Profiles', run: () => navigate('profiles') } });
        }}
      />
    </BenchContext.Provider>
  );
}
