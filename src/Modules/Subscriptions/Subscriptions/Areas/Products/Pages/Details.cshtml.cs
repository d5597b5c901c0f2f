using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Contracts;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Subscriptions.Areas.Products.Pages;

/// <summary>
/// One subscription's offering: its product and plan, dates, seats (add now, reduce from the renewal),
/// auto-renewal with its cut-off dates, upgrade, licence key, the payment method and its orders.
/// </summary>
internal sealed class DetailsModel(ShowSubscription show, ChangeSubscription change, TimeProvider clock, ICurrentCustomer customer) : PageModel
{
    public Subscription Subscription { get; private set; } = null!;
    public ProductSummary? Product { get; private set; }
    public bool CanUpgrade { get; private set; }
    public PaymentMethodSummary? PaymentMethod { get; private set; }
    public IReadOnlyList<Order> Orders { get; private set; } = [];
    public LicenseKeyInfo? LicenseKey { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }

    public string ProductName => Product?.Name ?? Subscription.ProductCode;
    public DateOnly LastDayToDisable => AutoRenewalWindow.LastDayToDisable(Subscription.RenewsOn, Subscription.IsAnnual);
    public DateOnly LastDayToEnable => AutoRenewalWindow.LastDayToEnable(Subscription.RenewsOn);
    public bool CanDisable => Subscription.Status == SubscriptionStatus.Active && Subscription.AutoRenew && AutoRenewalWindow.CanDisable(Today, Subscription.RenewsOn, Subscription.IsAnnual);
    public bool CanEnable => Subscription.Status == SubscriptionStatus.Active && !Subscription.AutoRenew && AutoRenewalWindow.CanEnable(Today, Subscription.RenewsOn);
    public bool CanChangeSeats => Subscription.WhyCannotChange(Today) is null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAutoRenewAsync(Guid id, bool on, CancellationToken cancellationToken)
    {
        var result = await change.SetAutoRenewAsync(customer.Id, id, on, cancellationToken);
        return await AfterAsync(id, result, on ? "Auto-renewal is on." : "Auto-renewal is off. The subscription ends on its expiration date.", cancellationToken);
    }

    public async Task<IActionResult> OnPostReduceSeatsAsync(Guid id, int seats, CancellationToken cancellationToken)
    {
        var result = await change.ReduceSeatsAtRenewalAsync(customer.Id, id, seats, cancellationToken);
        return await AfterAsync(id, result, $"From the renewal the subscription has {seats} seat(s).", cancellationToken);
    }

    public async Task<IActionResult> OnPostKeepSeatsAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await change.KeepSeatsAsync(customer.Id, id, cancellationToken);
        return await AfterAsync(id, result, "The seat reduction is cancelled.", cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(Guid id, ChangeSubscription.Result result, string done, CancellationToken cancellationToken)
    {
        if (!result.Found)
        {
            return NotFound();
        }
        if (result.Error is null)
        {
            TempData["Flash"] = done;
            return RedirectToPage(new { id });
        }
        Error = result.Error;
        await LoadAsync(id, cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await show.HandleAsync(customer.Id, id, cancellationToken) is not { } view)
        {
            return false;
        }
        (Subscription, Product, CanUpgrade, PaymentMethod, Orders, LicenseKey) = (view.Subscription, view.Product, view.CanUpgrade, view.PaymentMethod, view.Orders, view.LicenseKey);
        Today = clock.Today();
        return true;
    }
}
