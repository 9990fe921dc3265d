//! The app's commands: each one is a one-line call of the handoff-api use case of the same name.
//! Generated TypeScript wrappers for them live in ui/src/bindings.ts.

#![allow(clippy::needless_pass_by_value)] // Tauri hands commands owned arguments

use std::path::PathBuf;

use handoff_api::dto::*;
use handoff_api::{ApiError, Ctx};
use tauri::State;

use crate::files::DatabaseProblemDto;

#[tauri::command]
#[specta::specta]
pub fn init(ctx: State<'_, Ctx>, req: InitRequest) -> Result<AgencyDto, ApiError> {
    handoff_api::init(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn agency(ctx: State<'_, Ctx>) -> Result<AgencyDto, ApiError> {
    handoff_api::agency(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn holiday_add(ctx: State<'_, Ctx>, req: HolidayAddRequest) -> Result<Holiday, ApiError> {
    handoff_api::holiday_add(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn person_add(ctx: State<'_, Ctx>, req: PersonAddRequest) -> Result<PersonDto, ApiError> {
    handoff_api::person_add(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn person_list(ctx: State<'_, Ctx>) -> Result<Vec<PersonDto>, ApiError> {
    handoff_api::person_list(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn dept_set(ctx: State<'_, Ctx>, req: DeptSetRequest) -> Result<DeptDto, ApiError> {
    handoff_api::dept_set(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn dept_list(ctx: State<'_, Ctx>) -> Result<Vec<DeptDto>, ApiError> {
    handoff_api::dept_list(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn person_away(ctx: State<'_, Ctx>, req: AwayRequest) -> Result<PersonDto, ApiError> {
    handoff_api::person_away(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn clock_now(ctx: State<'_, Ctx>) -> Result<String, ApiError> {
    handoff_api::clock_now(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn whoami(ctx: State<'_, Ctx>) -> Result<Option<PersonDto>, ApiError> {
    handoff_api::whoami(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn whoami_set(ctx: State<'_, Ctx>, person: String) -> Result<PersonDto, ApiError> {
    handoff_api::whoami_set(&ctx, &person)
}

#[tauri::command]
#[specta::specta]
pub fn deal_add(ctx: State<'_, Ctx>, req: DealAddRequest) -> Result<DealSummary, ApiError> {
    handoff_api::deal_add(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn deal_won(ctx: State<'_, Ctx>, req: DealAction) -> Result<DealWonResponse, ApiError> {
    handoff_api::deal_won(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn deal_lost(ctx: State<'_, Ctx>, req: DealAction) -> Result<DealSummary, ApiError> {
    handoff_api::deal_lost(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn deal_show(ctx: State<'_, Ctx>, deal: String) -> Result<DealDetail, ApiError> {
    handoff_api::deal_show(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn deal_page(ctx: State<'_, Ctx>, req: DealPageRequest) -> Result<DealPage, ApiError> {
    handoff_api::deal_page(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn reassign(ctx: State<'_, Ctx>, req: ReassignRequest) -> Result<FulfilmentDto, ApiError> {
    handoff_api::reassign(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn escalation_log(ctx: State<'_, Ctx>, req: EscalationLogRequest) -> Result<EscalationDto, ApiError> {
    handoff_api::escalation_log(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn escalation_list(ctx: State<'_, Ctx>) -> Result<Vec<EscalationDto>, ApiError> {
    handoff_api::escalation_list(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn export_brief(ctx: State<'_, Ctx>, req: ExportRequest) -> Result<ExportResponse, ApiError> {
    handoff_api::export_brief(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn export_service_pack(ctx: State<'_, Ctx>, req: ExportRequest) -> Result<ExportResponse, ApiError> {
    handoff_api::export_service_pack(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn brief_fit(ctx: State<'_, Ctx>, deal: String) -> Result<FitDto, ApiError> {
    handoff_api::brief_fit(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn verify_brief(ctx: State<'_, Ctx>, req: VerifyRequest) -> Result<VerifyReport, ApiError> {
    handoff_api::verify_brief(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn verify_pack(ctx: State<'_, Ctx>, req: VerifyRequest) -> Result<VerifyReport, ApiError> {
    handoff_api::verify_pack(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn key_create(ctx: State<'_, Ctx>, req: KeyCreateRequest) -> Result<KeyCreateResponse, ApiError> {
    handoff_api::key_create(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn key_list(ctx: State<'_, Ctx>) -> Result<KeysDto, ApiError> {
    handoff_api::key_list(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn key_revoke(ctx: State<'_, Ctx>, req: KeyRevokeRequest) -> Result<Vec<KeyDto>, ApiError> {
    handoff_api::key_revoke(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn laptop_key_revoke(ctx: State<'_, Ctx>, req: LaptopKeyRevokeRequest) -> Result<Vec<LaptopKeyDto>, ApiError> {
    handoff_api::laptop_key_revoke(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn signer_key(ctx: State<'_, Ctx>, person: String) -> Result<SignerKeyDto, ApiError> {
    handoff_api::signer_key(&ctx, &person)
}

#[tauri::command]
#[specta::specta]
pub fn meeting_start(ctx: State<'_, Ctx>, req: DealAction) -> Result<MeetingDto, ApiError> {
    handoff_api::meeting_start(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn brief_set(ctx: State<'_, Ctx>, req: BriefSetRequest) -> Result<BriefDto, ApiError> {
    handoff_api::brief_set(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn brief_show(ctx: State<'_, Ctx>, deal: String) -> Result<BriefDto, ApiError> {
    handoff_api::brief_show(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn brief_sign(ctx: State<'_, Ctx>, req: BriefSignRequest) -> Result<BriefDto, ApiError> {
    handoff_api::brief_sign(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn meeting_end(ctx: State<'_, Ctx>, req: DealAction) -> Result<MeetingEndResponse, ApiError> {
    handoff_api::meeting_end(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn import_deals(
    ctx: State<'_, Ctx>,
    path: PathBuf,
    options: ImportOptions,
    acting: Acting,
) -> Result<ImportResponse, ApiError> {
    handoff_api::import_deals(&ctx, &path, &options, acting)
}

#[tauri::command]
#[specta::specta]
pub fn dwell(ctx: State<'_, Ctx>, req: DwellRequest) -> Result<DwellReport, ApiError> {
    handoff_api::dwell(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn metrics_service(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<ServiceMetrics, ApiError> {
    handoff_api::metrics_service(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn metrics_loop(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<LoopMetrics, ApiError> {
    handoff_api::metrics_loop(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn metrics_escalations(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<EscalationMetrics, ApiError> {
    handoff_api::metrics_escalations(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn ask_log(ctx: State<'_, Ctx>, req: AskLogRequest) -> Result<AskDto, ApiError> {
    handoff_api::ask_log(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn ask_list(ctx: State<'_, Ctx>, deal: Option<String>) -> Result<Vec<AskDto>, ApiError> {
    handoff_api::ask_list(&ctx, deal.as_deref())
}

#[tauri::command]
#[specta::specta]
pub fn trip_signal(ctx: State<'_, Ctx>, req: SignalRequest) -> Result<SignalDto, ApiError> {
    handoff_api::trip_signal(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn review_show(ctx: State<'_, Ctx>, date: Option<String>) -> Result<ReviewDto, ApiError> {
    handoff_api::review_show(&ctx, date.as_deref())
}

#[tauri::command]
#[specta::specta]
pub fn review_start(ctx: State<'_, Ctx>, req: ReviewMeetingRequest) -> Result<ReviewDto, ApiError> {
    handoff_api::review_start(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn review_end(ctx: State<'_, Ctx>, req: ReviewMeetingRequest) -> Result<ReviewDto, ApiError> {
    handoff_api::review_end(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn review_pick(ctx: State<'_, Ctx>, req: ReviewPickRequest) -> Result<ReviewDto, ApiError> {
    handoff_api::review_pick(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn followup_done(ctx: State<'_, Ctx>, req: FollowUpDoneRequest) -> Result<FollowUpDto, ApiError> {
    handoff_api::followup_done(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn outreach_cold(ctx: State<'_, Ctx>, req: OutreachRequest) -> Result<OutreachDto, ApiError> {
    handoff_api::outreach_cold(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn outreach_call(ctx: State<'_, Ctx>, req: ColdCallRequest) -> Result<OutreachDto, ApiError> {
    handoff_api::outreach_call(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn outreach_list(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<OutreachList, ApiError> {
    handoff_api::outreach_list(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn agency_set(ctx: State<'_, Ctx>, req: AgencySetRequest) -> Result<AgencyDto, ApiError> {
    handoff_api::agency_set(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn service_show(ctx: State<'_, Ctx>, deal: String) -> Result<ServiceDto, ApiError> {
    handoff_api::service_show(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn service_start(ctx: State<'_, Ctx>, req: DealAction) -> Result<ServiceDto, ApiError> {
    handoff_api::service_start(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn service_ack(ctx: State<'_, Ctx>, req: ServiceAckRequest) -> Result<ServiceDto, ApiError> {
    handoff_api::service_ack(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn service_complete(ctx: State<'_, Ctx>, req: DealAction) -> Result<ServiceDto, ApiError> {
    handoff_api::service_complete(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn service_reassign(ctx: State<'_, Ctx>, req: ReassignRequest) -> Result<ServiceDto, ApiError> {
    handoff_api::service_reassign(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn task_list(ctx: State<'_, Ctx>, req: TaskListRequest) -> Result<Vec<TaskDto>, ApiError> {
    handoff_api::task_list(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn task_done(ctx: State<'_, Ctx>, req: TaskDoneRequest) -> Result<TaskDto, ApiError> {
    handoff_api::task_done(&ctx, req)
}

/// The notices told since the app started, newest first (the window may open after the first).
#[tauri::command]
#[specta::specta]
pub fn notices_told(told: State<'_, crate::notifier::Told>) -> Vec<NoticeDto> {
    told.list()
}

#[tauri::command]
#[specta::specta]
pub fn conflict_list(ctx: State<'_, Ctx>, settled: bool) -> Result<Vec<ConflictDto>, ApiError> {
    handoff_api::conflict_list(&ctx, settled)
}

#[tauri::command]
#[specta::specta]
pub fn conflict_settle(ctx: State<'_, Ctx>, req: ConflictSettleRequest) -> Result<ConflictDto, ApiError> {
    handoff_api::conflict_settle(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn today(ctx: State<'_, Ctx>, person: Option<String>) -> Result<TodayDto, ApiError> {
    handoff_api::today(&ctx, person.as_deref())
}

#[tauri::command]
#[specta::specta]
pub fn trip_set(ctx: State<'_, Ctx>, req: TripSetRequest) -> Result<TripDto, ApiError> {
    handoff_api::trip_set(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn traveller_add(ctx: State<'_, Ctx>, req: TravellerAddRequest) -> Result<TravellerDto, ApiError> {
    handoff_api::traveller_add(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn traveller_edit(ctx: State<'_, Ctx>, req: TravellerEditRequest) -> Result<TravellerDto, ApiError> {
    handoff_api::traveller_edit(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn traveller_list(ctx: State<'_, Ctx>, deal: String) -> Result<Vec<TravellerDto>, ApiError> {
    handoff_api::traveller_list(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn itinerary_add(ctx: State<'_, Ctx>, req: ItemInput) -> Result<ItemDto, ApiError> {
    handoff_api::itinerary_add(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn itinerary_edit(ctx: State<'_, Ctx>, req: ItemInput) -> Result<ItemDto, ApiError> {
    handoff_api::itinerary_edit(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn itinerary_remove(ctx: State<'_, Ctx>, req: ItemInput) -> Result<ItemDto, ApiError> {
    handoff_api::itinerary_remove(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn itinerary_show(ctx: State<'_, Ctx>, deal: String) -> Result<ItineraryDto, ApiError> {
    handoff_api::itinerary_show(&ctx, &deal)
}

#[tauri::command]
#[specta::specta]
pub fn pdf_for_print(ctx: State<'_, Ctx>, req: PrintRequest) -> Result<PrintablePdf, ApiError> {
    handoff_api::pdf_for_print(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn print_window(webview: tauri::Webview) -> Result<(), ApiError> {
    crate::files::print_window(&webview)
}

#[tauri::command]
#[specta::specta]
pub fn open_pdf(app: tauri::AppHandle, path: PathBuf) -> Result<(), ApiError> {
    crate::files::open_pdf(&app, &path)
}

#[tauri::command]
#[specta::specta]
pub fn deal_contacted(ctx: State<'_, Ctx>, req: DealAction) -> Result<ContactedDto, ApiError> {
    handoff_api::deal_contacted(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn invite(ctx: State<'_, Ctx>, req: InviteRequest) -> Result<InviteResponse, ApiError> {
    handoff_api::invite(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn open_invite(app: tauri::AppHandle, path: PathBuf) -> Result<(), ApiError> {
    crate::files::open_invite(&app, &path)
}

#[tauri::command]
#[specta::specta]
pub fn reveal_invite(app: tauri::AppHandle, path: PathBuf) -> Result<(), ApiError> {
    crate::files::reveal_invite(&app, &path)
}

#[tauri::command]
#[specta::specta]
pub fn person_email(ctx: State<'_, Ctx>, req: PersonEmailRequest) -> Result<PersonDto, ApiError> {
    handoff_api::person_email(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn reveal_pdf(app: tauri::AppHandle, path: PathBuf) -> Result<(), ApiError> {
    crate::files::reveal_pdf(&app, &path)
}

#[tauri::command]
#[specta::specta]
pub fn dwell_weekly(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<Vec<WeeklyDwell>, ApiError> {
    handoff_api::dwell_weekly(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn metrics_periods(ctx: State<'_, Ctx>) -> Result<MetricsPeriods, ApiError> {
    handoff_api::metrics_periods(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn metrics_service_monthly(ctx: State<'_, Ctx>, req: RangeRequest) -> Result<Vec<MonthlyService>, ApiError> {
    handoff_api::metrics_service_monthly(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn dwell_before_after(ctx: State<'_, Ctx>, req: BeforeAfterRequest) -> Result<BeforeAfter, ApiError> {
    handoff_api::dwell_before_after(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn import_preview(ctx: State<'_, Ctx>, path: PathBuf, options: ImportOptions) -> Result<ImportPreview, ApiError> {
    handoff_api::import_preview(&ctx, &path, &options)
}

#[tauri::command]
#[specta::specta]
pub fn open_sample(ctx: State<'_, Ctx>) -> Result<AgencyDto, ApiError> {
    handoff_api::open_sample(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn database_problem(app: tauri::AppHandle) -> Option<DatabaseProblemDto> {
    crate::files::database_problem(&app)
}

#[tauri::command]
#[specta::specta]
pub fn reveal_database(app: tauri::AppHandle) -> Result<(), ApiError> {
    crate::files::reveal_database(&app)
}

#[tauri::command]
#[specta::specta]
pub fn quit(app: tauri::AppHandle) {
    app.exit(0)
}

#[tauri::command]
#[specta::specta]
pub fn backup(ctx: State<'_, Ctx>, req: BackupRequest) -> Result<BackupDto, ApiError> {
    handoff_api::backup(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn backups(ctx: State<'_, Ctx>) -> Result<Vec<BackupDto>, ApiError> {
    handoff_api::backups(&ctx)
}

#[tauri::command]
#[specta::specta]
pub fn restore(ctx: State<'_, Ctx>, from: PathBuf) -> Result<RestoreResponse, ApiError> {
    handoff_api::restore(&ctx, &from)
}

#[tauri::command]
#[specta::specta]
pub fn export_all(ctx: State<'_, Ctx>, req: ExportAllRequest) -> Result<ExportAllResponse, ApiError> {
    handoff_api::export_all(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn deal_correct(ctx: State<'_, Ctx>, req: DealCorrectRequest) -> Result<DealSummary, ApiError> {
    handoff_api::deal_correct(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn deal_reopen(ctx: State<'_, Ctx>, req: DealReopenRequest) -> Result<DealSummary, ApiError> {
    handoff_api::deal_reopen(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn away_correct(ctx: State<'_, Ctx>, req: AwayCorrectRequest) -> Result<PersonDto, ApiError> {
    handoff_api::away_correct(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn holiday_remove(ctx: State<'_, Ctx>, req: HolidayRemoveRequest) -> Result<Holiday, ApiError> {
    handoff_api::holiday_remove(&ctx, req)
}

#[tauri::command]
#[specta::specta]
pub fn person_retire(ctx: State<'_, Ctx>, req: RetireRequest) -> Result<PersonDto, ApiError> {
    handoff_api::person_retire(&ctx, req)
}

// Sync talks to the network: these run off the window's thread, so a slow hub never freezes it.

#[tauri::command(async)]
#[specta::specta]
pub fn sync_join(ctx: State<'_, Ctx>, req: SyncJoinRequest) -> Result<SyncReportDto, ApiError> {
    handoff_api::sync_join(&ctx, req)
}

#[tauri::command(async)]
#[specta::specta]
pub fn sync_join_preview(ctx: State<'_, Ctx>, url: Option<String>) -> Result<SyncJoinPreviewDto, ApiError> {
    handoff_api::sync_join_preview(&ctx, url.as_deref())
}

#[tauri::command(async)]
#[specta::specta]
pub fn sync_now(ctx: State<'_, Ctx>) -> Result<SyncReportDto, ApiError> {
    handoff_api::sync_now(&ctx)
}

#[tauri::command(async)]
#[specta::specta]
pub fn sync_status(ctx: State<'_, Ctx>) -> Result<SyncStatusDto, ApiError> {
    handoff_api::sync_status(&ctx)
}

#[tauri::command(async)]
#[specta::specta]
pub fn webhook_log(ctx: State<'_, Ctx>) -> Result<Vec<WebhookLogLineDto>, ApiError> {
    handoff_api::webhook_log(&ctx)
}

#[tauri::command(async)]
#[specta::specta]
pub fn sync_leave(ctx: State<'_, Ctx>) -> Result<SyncStatusDto, ApiError> {
    handoff_api::sync_leave(&ctx)
}
