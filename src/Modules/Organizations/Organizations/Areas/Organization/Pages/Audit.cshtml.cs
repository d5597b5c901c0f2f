namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>Organization › Audit log, for the organization's administrators only (everyone else: 404).</summary>
internal sealed class AuditModel(AuditLog log, ICurrentCustomer customer, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AuditAction? Action { get; set; }

    [BindProperty(Name = "user", SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public AuditLog.Result Log { get; private set; } = null!;

    public bool Filtered => Action is not null || !string.IsNullOrWhiteSpace(Person) || From is not null || To is not null;

    private AuditLog.Filter Filter => new(Action, Person, From, To, PageNumber);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await log.HandleAsync(customer.Id, Filter, cancellationToken) is not { } result)
        {
            return NotFound();
        }
        Log = result;
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken) =>
        await log.ExportAsync(customer.Id, Filter, clock.UtcNow(), cancellationToken) is { } export
            ? File(export.Content, "text/csv; charset=utf-8", export.FileName)
            : NotFound();

    public string? UrlFor(int page) => Url.Page("/Audit", new { area = "Organization", Action, user = Person, From, To, p = page > 1 ? page : (int?)null });

    public string? ExportUrl => Url.Page("/Audit", "Export", new { area = "Organization", Action, user = Person, From, To });
}
