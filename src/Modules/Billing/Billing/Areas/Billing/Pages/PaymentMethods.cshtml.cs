using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure.RateLimiting;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Saved cards: add one, choose the default that pays open invoices and every renewal.</summary>
[FormRateLimit(FormRateLimits.CardSaving, Handler = "Add")]
internal sealed class PaymentMethodsModel(ListCards list, SaveCard save, SetDefaultCard setDefault, ICurrentCustomer customer) : PageModel
{
    [BindProperty]
    public CardForm Card { get; set; } = new();

    /// <summary>Where to go after saving, e.g. back to the cart that linked here; only a local address is followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? LocalReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public IReadOnlyList<ListCards.Card> Methods { get; private set; } = [];

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

    public async Task OnGetAsync(CancellationToken cancellationToken) => Methods = await list.HandleAsync(customer.Id, cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        // A tampered checkbox (anything but true/false) fails binding, and the form shown again would throw trying to
        // tick it (FormatException): shown with the default, and a message.
        const string makeDefault = $"{nameof(Card)}.{nameof(CardForm.MakeDefault)}";
        if (ModelState.GetFieldValidationState(makeDefault) == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            ModelState.Remove(makeDefault);
            ModelState.AddModelError(string.Empty, "Tick or untick \u201cUse this card for payments and renewals\u201d.");
        }
        if (ModelState.IsValid)
        {
            var result = await save.HandleAsync(new SaveCard.Request(customer.Id, User.Identity?.Name ?? "", Card.Number, Card.ExpiryMonth, Card.ExpiryYear, Card.Cvc,
                Card.MakeDefault), cancellationToken);
            if (result.Problem is not { } problem)
            {
                TempData["Flash"] = result.Saved;
                return Done();
            }
            ModelState.AddModelError(problem.Field is null ? string.Empty : $"{nameof(Card)}.{problem.Field}", problem.Message);
        }
        ForgetCardSecrets();
        Methods = await list.HandleAsync(customer.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDefaultAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await setDefault.HandleAsync(customer.Id, id, cancellationToken) is not { } message)
        {
            return NotFound();
        }
        TempData["Flash"] = message;
        return Done();
    }

    /// <summary>
    /// The form shown again never carries the card number or the security code back to the browser (nor into the page's
    /// HTML, caches or screenshots): the customer types them again; their messages stay.
    /// </summary>
    private void ForgetCardSecrets()
    {
        Card.Number = "";
        Card.Cvc = "";
        foreach (var key in new[] { $"{nameof(Card)}.{nameof(CardForm.Number)}", $"{nameof(Card)}.{nameof(CardForm.Cvc)}" })
        {
            if (ModelState.TryGetValue(key, out var entry))
            {
                entry.RawValue = null;
                entry.AttemptedValue = null;
            }
        }
    }

    private IActionResult Done() => LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
}
