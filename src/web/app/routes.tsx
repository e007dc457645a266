import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { FullPageSpin } from '../ui/FullPage.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { ComingSoonPage } from './ComingSoonPage.tsx';
import { navLeaves } from './modules.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import {
  canImport,
  canManageCustomFields,
  canManageForms,
  canManagePlaybooks,
  canManageRouting,
  canReadPlanning,
  canReadReports,
  canUsePlanner,
  isAdmin,
} from './permissions.ts';
import { RequireRole } from './RequireRole.tsx';
import { Shell } from './Shell.tsx';

const ContactsListPage = lazy(() =>
  import('../features/contacts/ContactsListPage.tsx').then((m) => ({ default: m.ContactsListPage })),
);
const ContactDetailPage = lazy(() =>
  import('../features/contacts/ContactDetailPage.tsx').then((m) => ({ default: m.ContactDetailPage })),
);
const CompaniesListPage = lazy(() =>
  import('../features/companies/CompaniesListPage.tsx').then((m) => ({ default: m.CompaniesListPage })),
);
const CompanyDetailPage = lazy(() =>
  import('../features/companies/CompanyDetailPage.tsx').then((m) => ({ default: m.CompanyDetailPage })),
);
const AuditLogPage = lazy(() =>
  import('../features/governance/AuditLogPage.tsx').then((m) => ({ default: m.AuditLogPage })),
);
const UsersTeamsPage = lazy(() =>
  import('../features/governance/UsersTeamsPage.tsx').then((m) => ({ default: m.UsersTeamsPage })),
);
const CustomFieldsPage = lazy(() =>
  import('../features/settings/CustomFieldsPage.tsx').then((m) => ({ default: m.CustomFieldsPage })),
);
const FormsListPage = lazy(() =>
  import('../features/capture/FormsListPage.tsx').then((m) => ({ default: m.FormsListPage })),
);
const FormDetailPage = lazy(() =>
  import('../features/capture/FormDetailPage.tsx').then((m) => ({ default: m.FormDetailPage })),
);
const FormBuilderPage = lazy(() =>
  import('../features/capture/FormBuilderPage.tsx').then((m) => ({ default: m.FormBuilderPage })),
);
const ImportsPage = lazy(() =>
  import('../features/capture/ImportsPage.tsx').then((m) => ({ default: m.ImportsPage })),
);
const ImportWizardPage = lazy(() =>
  import('../features/capture/ImportWizardPage.tsx').then((m) => ({ default: m.ImportWizardPage })),
);
const ImportDetailPage = lazy(() =>
  import('../features/capture/ImportDetailPage.tsx').then((m) => ({ default: m.ImportDetailPage })),
);
const ScoringRulesPage = lazy(() =>
  import('../features/scoring/ScoringRulesPage.tsx').then((m) => ({ default: m.ScoringRulesPage })),
);
const LeadsPage = lazy(() =>
  import('../features/lifecycle/LeadsPage.tsx').then((m) => ({ default: m.LeadsPage })),
);
const MyDayPage = lazy(() =>
  import('../features/lifecycle/MyDayPage.tsx').then((m) => ({ default: m.MyDayPage })),
);
const SlaReportPage = lazy(() =>
  import('../features/lifecycle/SlaReportPage.tsx').then((m) => ({ default: m.SlaReportPage })),
);
const RoutingPage = lazy(() =>
  import('../features/lifecycle/RoutingPage.tsx').then((m) => ({ default: m.RoutingPage })),
);
const PlaybooksPage = lazy(() =>
  import('../features/lifecycle/PlaybooksPage.tsx').then((m) => ({ default: m.PlaybooksPage })),
);
const LeadSettingsPage = lazy(() =>
  import('../features/lifecycle/LeadSettingsPage.tsx').then((m) => ({ default: m.LeadSettingsPage })),
);
const PipelinePage = lazy(() =>
  import('../features/deals/PipelinePage.tsx').then((m) => ({ default: m.PipelinePage })),
);
const DealDetailPage = lazy(() =>
  import('../features/deals/DealDetailPage.tsx').then((m) => ({ default: m.DealDetailPage })),
);
const FeedbackPage = lazy(() =>
  import('../features/feedback/FeedbackPage.tsx').then((m) => ({ default: m.FeedbackPage })),
);
const QuotesListPage = lazy(() =>
  import('../features/quotes/QuotesListPage.tsx').then((m) => ({ default: m.QuotesListPage })),
);
const QuoteEditorPage = lazy(() =>
  import('../features/quotes/QuoteEditorPage.tsx').then((m) => ({ default: m.QuoteEditorPage })),
);
const ProductsPage = lazy(() =>
  import('../features/quotes/ProductsPage.tsx').then((m) => ({ default: m.ProductsPage })),
);
const PriceListsPage = lazy(() =>
  import('../features/quotes/PriceListsPage.tsx').then((m) => ({ default: m.PriceListsPage })),
);
const PriceListDetailPage = lazy(() =>
  import('../features/quotes/PriceListDetailPage.tsx').then((m) => ({ default: m.PriceListDetailPage })),
);
const QuoteSettingsPage = lazy(() =>
  import('../features/quotes/QuoteSettingsPage.tsx').then((m) => ({ default: m.QuoteSettingsPage })),
);
const SegmentsListPage = lazy(() =>
  import('../features/segments/SegmentsListPage.tsx').then((m) => ({ default: m.SegmentsListPage })),
);
const SegmentBuilderPage = lazy(() =>
  import('../features/segments/SegmentBuilderPage.tsx').then((m) => ({ default: m.SegmentBuilderPage })),
);
const CampaignsListPage = lazy(() =>
  import('../features/campaigns/CampaignsListPage.tsx').then((m) => ({ default: m.CampaignsListPage })),
);
const CampaignDetailPage = lazy(() =>
  import('../features/campaigns/CampaignDetailPage.tsx').then((m) => ({ default: m.CampaignDetailPage })),
);
const CampaignCalendarPage = lazy(() =>
  import('../features/campaigns/CampaignCalendarPage.tsx').then((m) => ({ default: m.CampaignCalendarPage })),
);
const ContentLibraryPage = lazy(() =>
  import('../features/content/ContentLibraryPage.tsx').then((m) => ({ default: m.ContentLibraryPage })),
);
const ContentDetailPage = lazy(() =>
  import('../features/content/ContentDetailPage.tsx').then((m) => ({ default: m.ContentDetailPage })),
);
const ReportsPage = lazy(() =>
  import('../features/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })),
);
const PlannerPage = lazy(() =>
  import('../features/planning/PlannerPage.tsx').then((m) => ({ default: m.PlannerPage })),
);
const QuotasPage = lazy(() =>
  import('../features/planning/QuotasPage.tsx').then((m) => ({ default: m.QuotasPage })),
);
const DashboardPage = lazy(() =>
  import('../features/planning/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })),
);
const PlanPage = lazy(() =>
  import('../features/planning/PlanPage.tsx').then((m) => ({ default: m.PlanPage })),
);
const ProfilePage = lazy(() =>
  import('../features/settings/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })),
);

/** Only /sign-in exists without a session; every other address comes back here after sign-in. */
export function SignedOutRoutes() {
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        path="*"
        element={
          <Navigate replace to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} />
        }
      />
    </Routes>
  );
}

function AfterSignIn() {
  const [params] = useSearchParams();
  const next = params.get('next');
  // Only same-app paths: never redirect to another origin.
  return <Navigate replace to={next?.startsWith('/') && !next.startsWith('//') ? next : '/dashboard'} />;
}

export function SignedInRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<AfterSignIn />} />
      <Route element={<Shell />}>
        <Route index element={<Navigate replace to="/dashboard" />} />
        <Route path="dashboard" element={<Lazy page={<DashboardPage />} />} />
        <Route path="contacts" element={<Lazy page={<ContactsListPage />} />} />
        <Route path="contacts/:id" element={<Lazy page={<ContactDetailPage />} />} />
        <Route path="companies" element={<Lazy page={<CompaniesListPage />} />} />
        <Route path="companies/:id" element={<Lazy page={<CompanyDetailPage />} />} />
        <Route path="segments" element={<Lazy page={<SegmentsListPage />} />} />
        <Route path="segments/:id" element={<Lazy page={<SegmentBuilderPage />} />} />
        <Route path="campaigns" element={<Lazy page={<CampaignsListPage />} />} />
        <Route path="campaigns/:id" element={<Lazy page={<CampaignDetailPage />} />} />
        <Route path="campaign-calendar" element={<Lazy page={<CampaignCalendarPage />} />} />
        <Route path="content" element={<Lazy page={<ContentLibraryPage />} />} />
        <Route path="content/:id" element={<Lazy page={<ContentDetailPage />} />} />
        <Route path="capture" element={<Navigate replace to="/capture/forms" />} />
        <Route path="capture/forms" element={<Lazy page={<FormsListPage />} />} />
        <Route
          path="capture/forms/new"
          element={<RequireRole allow={canManageForms} page={<Lazy page={<FormBuilderPage />} />} />}
        />
        <Route path="capture/forms/:id" element={<Lazy page={<FormDetailPage />} />} />
        <Route
          path="capture/forms/:id/edit"
          element={<RequireRole allow={canManageForms} page={<Lazy page={<FormBuilderPage />} />} />}
        />
        <Route
          path="capture/imports"
          element={<RequireRole allow={canImport} page={<Lazy page={<ImportsPage />} />} />}
        />
        <Route
          path="capture/imports/new"
          element={<RequireRole allow={canImport} page={<Lazy page={<ImportWizardPage />} />} />}
        />
        <Route
          path="capture/imports/:id"
          element={<RequireRole allow={canImport} page={<Lazy page={<ImportDetailPage />} />} />}
        />
        <Route path="qualification" element={<Navigate replace to="/qualification/leads" />} />
        <Route path="qualification/leads" element={<Lazy page={<LeadsPage />} />} />
        <Route path="qualification/my-day" element={<Lazy page={<MyDayPage />} />} />
        <Route path="qualification/sla" element={<Lazy page={<SlaReportPage />} />} />
        <Route path="qualification/scoring" element={<Lazy page={<ScoringRulesPage />} />} />
        <Route
          path="qualification/routing"
          element={<RequireRole allow={canManageRouting} page={<Lazy page={<RoutingPage />} />} />}
        />
        <Route
          path="qualification/playbooks"
          element={<RequireRole allow={canManagePlaybooks} page={<Lazy page={<PlaybooksPage />} />} />}
        />
        <Route
          path="qualification/settings"
          element={<RequireRole allow={canManageRouting} page={<Lazy page={<LeadSettingsPage />} />} />}
        />
        <Route path="pipeline" element={<Lazy page={<PipelinePage />} />} />
        <Route path="pipeline/deals/:id" element={<Lazy page={<DealDetailPage />} />} />
        <Route path="feedback" element={<Lazy page={<FeedbackPage />} />} />
        <Route path="quotes" element={<Navigate replace to="/quotes/list" />} />
        <Route path="quotes/list" element={<Lazy page={<QuotesListPage />} />} />
        <Route path="quotes/products" element={<Lazy page={<ProductsPage />} />} />
        <Route path="quotes/price-lists" element={<Lazy page={<PriceListsPage />} />} />
        <Route path="quotes/price-lists/:id" element={<Lazy page={<PriceListDetailPage />} />} />
        <Route path="quotes/:id" element={<Lazy page={<QuoteEditorPage />} />} />
        <Route
          path="settings/quotes"
          element={<RequireRole allow={isAdmin} page={<Lazy page={<QuoteSettingsPage />} />} />}
        />
        <Route
          path="analytics"
          element={<RequireRole allow={canReadReports} page={<Lazy page={<ReportsPage />} />} />}
        />
        <Route path="planning" element={<Navigate replace to="/planning/quotas" />} />
        <Route
          path="planning/planner"
          element={<RequireRole allow={canUsePlanner} page={<Lazy page={<PlannerPage />} />} />}
        />
        <Route
          path="planning/quotas"
          element={<RequireRole allow={canReadPlanning} page={<Lazy page={<QuotasPage />} />} />}
        />
        <Route
          path="planning/plan"
          element={<RequireRole allow={canReadPlanning} page={<Lazy page={<PlanPage />} />} />}
        />
        <Route path="governance" element={<Navigate replace to="/governance/audit-log" />} />
        <Route
          path="governance/audit-log"
          element={<RequireRole allow={isAdmin} page={<Lazy page={<AuditLogPage />} />} />}
        />
        <Route
          path="governance/users"
          element={<RequireRole allow={isAdmin} page={<Lazy page={<UsersTeamsPage />} />} />}
        />
        <Route path="settings" element={<Navigate replace to="/settings/profile" />} />
        <Route path="settings/profile" element={<Lazy page={<ProfilePage />} />} />
        <Route
          path="settings/custom-fields"
          element={<RequireRole allow={canManageCustomFields} page={<Lazy page={<CustomFieldsPage />} />} />}
        />
        {navLeaves()
          .filter((item) => item.soon)
          .map((item) => (
            <Route
              key={item.key}
              path={item.path.slice(1)}
              element={item.soon ? <ComingSoonPage module={item.soon} icon={item.icon} /> : null}
            />
          ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function Lazy({ page }: { page: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<FullPageSpin label={t('app.loading')} />}>{page}</Suspense>;
}
