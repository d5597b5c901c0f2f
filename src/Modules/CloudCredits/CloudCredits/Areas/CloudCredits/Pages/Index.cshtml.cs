using ChaosModular.Modules.Infrastructure.Web;

namespace ChaosModular.CloudCredits.Areas.CloudCredits.Pages;

/// <summary>
/// Cloud Credits: the signed-in user's own grants with totals, their organization allocation (a member sees only that),
/// a guest's choice of active pool, and the way to Chaos Cloud.
/// </summary>
internal sealed class IndexModel(MyCredits credits, MonthlyConsumption consumption, ChooseActivePool choose, StartRenderingLink startRendering, ICurrentCustomer customer) : PageModel
{
    public MyCredits.Result Credits { get; private set; } = null!;

    public string? StartRenderingUrl { get; private set; }

    /// <summary>The user's credits used per month over the last 12 months.</summary>
    public BarChart Consumption { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Credits = await credits.HandleAsync(customer.Id, cancellationToken);
        Consumption = MonthlyConsumption.Chart(await consumption.HandleAsync(customer.Id, cancellationToken));
        StartRenderingUrl = await startRendering.ResolveAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostChoosePoolAsync(CreditPool pool, CancellationToken cancellationToken)
    {
        TempData["Flash"] = await choose.HandleAsync(customer.Id, pool, cancellationToken) switch
        {
            ChooseActivePool.Outcome.Chosen => pool == CreditPool.Organization
                ? "Your rendering now uses the credits your organization allocated to you."
                : "Your rendering now uses your own credits.",
            ChooseActivePool.Outcome.NoAllocation => "Your organization has not allocated credits to you, so your own credits stay active.",
            _ => "Only guests of an organization choose a pool: your credits come from one place.",
        };
        return RedirectToPage("/Index", new { area = "CloudCredits" });
    }
}
