using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Features;
using ChaosModular.Modules.Abstractions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Review (invoices, credits applied first, amount to charge, payment method), then pay.</summary>
internal sealed class PayModel(BillingDbContext db, PayInvoices pay, TimeProvider clock, ICurrentCustomer customer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    /// <summary>Made when the review is shown and posted back: the same review never pays twice.</summary>
    [BindProperty]
    public string IdempotencyKey { get; set; } = "";

    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public string? MethodDescription { get; private set; }
    public bool MethodExpired { get; private set; }
    public IReadOnlyList<PayInvoices.Outcome>? Outcomes { get; private set; }

    public sealed record Line(Guid Id, string Number, DateTime DueUtc, Money Balance);

    public sealed record Group(string Currency, IReadOnlyList<Line> Invoices, Money Due, Money Credit, Money ToCharge);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadReviewAsync(cancellationToken);
        IdempotencyKey = Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(IdempotencyKey, "N", out _))
        {
            return BadRequest();
        }
        All = false;   // pay exactly the invoices the review showed, never ones issued since
        await LoadReviewAsync(cancellationToken);
        var ids = Groups.SelectMany(g => g.Invoices).Select(i => i.Id).ToList();
        if (ids.Count == 0)
        {
            return Page();
        }
        Outcomes = await pay.HandleAsync(customer.Id, ids, $"manual:{customer.Id}:{IdempotencyKey}", automatic: false, cancellationToken);
        return Page();
    }

    private async Task LoadReviewAsync(CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        var query = db.Invoices.AsNoTracking()
            .Where(i => i.CustomerId == customerId && (i.Status == InvoiceStatus.Open || i.Status == InvoiceStatus.Overdue));
        if (!All)
        {
            query = query.Where(i => Ids.Contains(i.Id));
        }
        var invoices = await query.OrderBy(i => i.DueUtc).ToListAsync(cancellationToken);
        var credits = await db.Credits.AsNoTracking().Where(c => c.CustomerId == customerId).ToListAsync(cancellationToken);
        Groups = invoices.Where(i => i.Balance > 0).GroupBy(i => i.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var due = g.Aggregate(Money.Zero(g.Key), (sum, i) => sum + i.BalanceDue);
            var (_, toCharge) = CreditApplication.Apply(due, credits.Select(c => (c.Id, new Money(c.Remaining, c.Currency), c.CreatedUtc)));
            return new Group(g.Key, g.Select(i => new Line(i.Id, i.Number, i.DueUtc, i.BalanceDue)).ToList(), due, due - toCharge, toCharge);
        }).ToList();
        var method = await db.PaymentMethods.AsNoTracking().SingleOrDefaultAsync(m => m.CustomerId == customerId && m.IsDefault, cancellationToken);
        MethodDescription = method is null ? null : $"{method.Description}, expires {method.ExpiryMonth:00}/{method.ExpiryYear}";
        MethodExpired = method?.IsExpired(clock.GetUtcNow().UtcDateTime) == true;
    }
}
