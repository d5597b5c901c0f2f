using System.ComponentModel.DataAnnotations;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>
/// Saved cards: add one, choose the default that pays open invoices and every renewal. With Stripe the card is typed
/// into Stripe.js's own fields: the page asks <c>Setup</c> for a SetupIntent, the browser confirms it with Stripe and
/// posts only its id to <c>Add</c>, so no card number ever reaches this server. With the Simulated gateway the portal's
/// own form is posted, and is never shown again with the number or the security code in it.
/// <para>
/// Change (<c>?change={id}</c>) is the same card form replacing one card (<see cref="SaveCard"/>); Remove (<c>?remove={id}</c>)
/// shows what removing would do, or why it cannot, and its confirm form posts <c>Remove</c> (<see cref="RemoveCard"/>).
/// A card saved or made default while invoices are unpaid is offered Pay all's review of them.
/// </para>
/// </summary>
[FormRateLimit(FormRateLimits.CardSaving, Handler = "Setup,Add")]
internal sealed class PaymentMethodsModel(ListCards list, SaveCard save, SetDefaultCard setDefault, RemoveCard remove, ICurrentCustomer customer) : PageModel
{
    private const string OfferUnpaidKey = "OfferPayUnpaid";

    /// <summary>The card the form replaces (Change), from the address or the posted form; null to add a card.</summary>
    [BindProperty(SupportsGet = true, Name = "change")]
    public Guid? ChangeId { get; set; }

    /// <summary>The card whose removal is being confirmed.</summary>
    [BindProperty(SupportsGet = true, Name = "remove")]
    public Guid? RemoveId { get; set; }

    /// <summary>The card being replaced, as the customer knows it.</summary>
    public string? Replacing { get; private set; }

    /// <summary>The removal to confirm, or the reason it is refused.</summary>
    public RemoveCard.Preview? Removing { get; private set; }

    /// <summary>Unpaid invoices the card just made default is offered to pay (Pay all's review), when there are any.</summary>
    public int UnpaidOffer { get; private set; }

    /// <summary>The portal's own card form (Simulated gateway).</summary>
    public CardForm Card { get; set; } = new();

    /// <summary>The provider's card form (Stripe): the setup the browser confirmed.</summary>
    public ProviderCardForm Setup { get; set; } = new();

    /// <summary>Stripe's publishable key and script when cards are typed into Stripe's fields; null for the portal's form.</summary>
    public SaveCard.ProviderFields? ProviderFields { get; } = save.CardFields;

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

    public sealed class ProviderCardForm
    {
        /// <summary>The SetupIntent the browser confirmed with Stripe (<c>seti_…</c>).</summary>
        [StringLength(255)]
        public string? SetupId { get; set; }

        [Display(Name = "Use this card for payments and renewals")]
        public bool MakeDefault { get; set; } = true;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (ChangeId is { } change && (Replacing = await save.ReplaceableAsync(customer.Id, change, cancellationToken)) is null)
        {
            return NotFound();
        }
        if (RemoveId is { } removing && (Removing = await remove.PreviewAsync(customer.Id, removing, cancellationToken)) is null)
        {
            return NotFound();
        }
        if (TempData[OfferUnpaidKey] is true)
        {
            UnpaidOffer = await list.UnpaidInvoicesAsync(customer.Id, cancellationToken);
        }
        Methods = await list.HandleAsync(customer.Id, cancellationToken);
        return Page();
    }

    /// <summary>Stripe only: a SetupIntent's client secret for Stripe.js to confirm (JSON; problem+json when it cannot).</summary>
    public async Task<IActionResult> OnPostSetupAsync(CancellationToken cancellationToken)
    {
        if (ProviderFields is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not available", "Cards are entered in the form on this page.");
        }
        return await save.StartSetupAsync(customer.Id, User.Identity?.Name ?? "", cancellationToken) is { } clientSecret
            ? new JsonResult(new { clientSecret })
            : Problem(StatusCodes.Status503ServiceUnavailable, "Payment service unavailable",
                "The payment service could not be reached, so your card cannot be saved now. Please try again in a few minutes.");
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (ChangeId is { } change && (Replacing = await save.ReplaceableAsync(customer.Id, change, cancellationToken)) is null)
        {
            return NotFound();
        }
        SaveCard.Result? result = null;
        if (ProviderFields is not null)
        {
            await TryUpdateModelAsync(Setup, nameof(Setup));
            if (CheckboxReadable($"{nameof(Setup)}.{nameof(ProviderCardForm.MakeDefault)}") && ModelState.IsValid)
            {
                result = await save.CompleteSetupAsync(customer.Id, Setup.SetupId ?? "", Setup.MakeDefault, cancellationToken, ChangeId);
            }
        }
        else
        {
            await TryUpdateModelAsync(Card, nameof(Card));
            if (CheckboxReadable($"{nameof(Card)}.{nameof(CardForm.MakeDefault)}") && ModelState.IsValid)
            {
                result = await save.HandleAsync(new SaveCard.Request(customer.Id, User.Identity?.Name ?? "", Card.Number, Card.ExpiryMonth, Card.ExpiryYear, Card.Cvc,
                    Card.MakeDefault, ChangeId), cancellationToken);
            }
            ForgetCardSecrets();
        }
        if (result is { Problem: null })
        {
            TempData["Flash"] = result.Saved;
            if (result.BecameDefault)
            {
                TempData[OfferUnpaidKey] = true;
            }
            return Done();
        }
        if (result?.Problem is { } problem)
        {
            ModelState.AddModelError(problem.Field is null ? string.Empty : $"{nameof(Card)}.{problem.Field}", problem.Message);
        }
        Setup.SetupId = null;
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
        TempData[OfferUnpaidKey] = true;
        return Done();
    }

    /// <summary>Removes a card once confirmed; without the confirmation it shows what removing would do.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid id, bool confirmed, CancellationToken cancellationToken)
    {
        if (!confirmed)
        {
            return await remove.PreviewAsync(customer.Id, id, cancellationToken) is null ? NotFound() : RedirectToPage(new { remove = id });
        }
        switch (await remove.HandleAsync(customer.Id, id, cancellationToken))
        {
            case null:
                return NotFound();
            case { Removed: true } removed:
                TempData["Flash"] = removed.Message;
                return RedirectToPage();
            case var refused:
                RemoveId = id;
                Removing = await remove.PreviewAsync(customer.Id, id, cancellationToken) is { } preview ? preview with { Refusal = refused.Message } : null;
                Methods = await list.HandleAsync(customer.Id, cancellationToken);
                return Page();
        }
    }

    /// <summary>
    /// A tampered checkbox (anything but true/false) fails binding, and the form shown again would throw trying to tick
    /// it (FormatException): shown with the default, and a message.
    /// </summary>
    private bool CheckboxReadable(string key)
    {
        if (ModelState.GetFieldValidationState(key) != Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            return true;
        }
        ModelState.Remove(key);
        ModelState.AddModelError(string.Empty, "Tick or untick \u201cUse this card for payments and renewals\u201d.");
        return false;
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

    private static ObjectResult Problem(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail }) { StatusCode = status, ContentTypes = { "application/problem+json" } };

    private IActionResult Done() => LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
}
