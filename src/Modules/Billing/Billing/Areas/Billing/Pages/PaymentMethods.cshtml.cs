using ChaosModular.Modules.Abstractions;
using System.ComponentModel.DataAnnotations;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Gateways;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Saved cards: add one, choose the default that pays open invoices and every renewal.</summary>
internal sealed class PaymentMethodsModel(BillingDbContext db, IPaymentGateway gateway, TimeProvider clock, ILogger<PaymentMethodsModel> logger, ICurrentCustomer customer) : PageModel
{
    [BindProperty]
    public CardForm Card { get; set; } = new();

    /// <summary>Where to go after saving, e.g. back to the cart that linked here; only a local address is followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? LocalReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public IReadOnlyList<PaymentMethod> Methods { get; private set; } = [];
    public DateTime Now { get; private set; }

    public sealed class CardForm
    {
        [Required, Display(Name = "Card number")]
        public string Number { get; set; } = "";

        [Required, Range(1, 12, ErrorMessage = "Choose the expiry month."), Display(Name = "Expiry month")]
        public int ExpiryMonth { get; set; }

        [Required, Range(2000, 2100, ErrorMessage = "Enter the four-digit expiry year."), Display(Name = "Expiry year")]
        public int ExpiryYear { get; set; }

        [Required, Display(Name = "Security code (CVC)")]
        public string Cvc { get; set; } = "";

        [Display(Name = "Use this card for payments and renewals")]
        public bool MakeDefault { get; set; } = true;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var expiry = new DateTime(Math.Clamp(Card.ExpiryYear, 2000, 2100), Math.Clamp(Card.ExpiryMonth, 1, 12), 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        if (ModelState.IsValid && expiry <= Now)
        {
            ModelState.AddModelError("Card.ExpiryYear", "This card has expired.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        GatewayCard saved;
        try
        {
            saved = await gateway.SaveCardAsync(customer.Id, User.Identity?.Name ?? "", new CardInput(Card.Number, Card.ExpiryMonth, Card.ExpiryYear, Card.Cvc), cancellationToken);
        }
        catch (CardRejectedException rejected)
        {
            ModelState.AddModelError("Card.Number", rejected.Message);
            return Page();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Saving a card failed at the payment gateway");
            ModelState.AddModelError(string.Empty, "The payment service could not be reached, so your card was not saved. Please try again in a few minutes.");
            return Page();
        }
        var customerId = customer.Id;
        var makeDefault = Card.MakeDefault || Methods.Count == 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (makeDefault)
            {
                await db.PaymentMethods.Where(m => m.CustomerId == customerId && m.IsDefault)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsDefault, false), cancellationToken);
            }
            db.PaymentMethods.Add(PaymentMethod.Save(customerId, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear, saved.Token, makeDefault, Now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        TempData["Flash"] = $"{saved.Brand} ending in {saved.Last4} was saved{(makeDefault ? " and is now your default payment method" : "")}.";
        return LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
    }

    public async Task<IActionResult> OnPostDefaultAsync(Guid id, CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        var method = await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == id && m.CustomerId == customerId, cancellationToken);
        if (method is null)
        {
            return NotFound();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.PaymentMethods.Where(m => m.CustomerId == customerId && m.Id != id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsDefault, false), cancellationToken);
        method.MakeDefault(true);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        TempData["Flash"] = $"{method.Description} now pays your open invoices and renewals.";
        return LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var customerId = customer.Id;
        Methods = await db.PaymentMethods.AsNoTracking().Where(m => m.CustomerId == customerId)
            .OrderByDescending(m => m.IsDefault).ThenByDescending(m => m.AddedUtc).ToListAsync(cancellationToken);
    }
}
