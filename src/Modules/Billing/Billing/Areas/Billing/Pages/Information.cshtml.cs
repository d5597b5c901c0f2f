using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure;
using System.ComponentModel.DataAnnotations;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Who invoices are made out to. Changes reach invoices issued afterwards; issued invoices never change.</summary>
internal sealed class InformationModel(BillingDbContext db, TimeProvider clock, ICurrentCustomer customer) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    /// <summary>Where to go after saving, e.g. back to the cart that linked here; only a local address is followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? LocalReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public sealed class Input
    {
        [Required, StringLength(200), Display(Name = "Company or full name")]
        public string Name { get; set; } = "";

        [Required, StringLength(200), Display(Name = "Address")]
        public string AddressLine1 { get; set; } = "";

        [StringLength(200), Display(Name = "Address line 2 (optional)")]
        public string? AddressLine2 { get; set; }

        [Required, StringLength(100), Display(Name = "City")]
        public string City { get; set; } = "";

        [Required, StringLength(20), Display(Name = "Postal code")]
        public string PostalCode { get; set; } = "";

        [Required(ErrorMessage = "Choose the billing country."), StringLength(2, MinimumLength = 2), Display(Name = "Country")]
        public string Country { get; set; } = "";

        [Required, EmailAddress, StringLength(256), Display(Name = "Billing email")]
        public string BillingEmail { get; set; } = "";

        [StringLength(30), Display(Name = "VAT ID (optional)")]
        public string? VatId { get; set; }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == customer.Id, cancellationToken);
        if (profile is not null)
        {
            Form = new Input
            {
                Name = profile.Name, AddressLine1 = profile.AddressLine1, AddressLine2 = profile.AddressLine2, City = profile.City,
                PostalCode = profile.PostalCode, Country = profile.Country, BillingEmail = profile.BillingEmail, VatId = profile.VatId,
            };
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Form.Country = Form.Country?.Trim().ToUpperInvariant() ?? "";
        if (!Countries.IsKnown(Form.Country))
        {
            ModelState.AddModelError("Form.Country", "Choose the billing country from the list.");
        }
        if (ModelState.IsValid && VatId.Validate(Form.VatId, Form.Country) is { } vatError)
        {
            ModelState.AddModelError("Form.VatId", vatError);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // The profile may be created at the same moment by the sign-up event handler: one retry then finds it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SaveAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
        }
        TempData["Flash"] = "Billing information saved. It will appear on your future invoices, including renewals.";
        return LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        var profile = await db.Profiles.SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        if (profile is null)
        {
            profile = BillingProfile.Create(customerId);
            db.Profiles.Add(profile);
        }
        profile.Update(Form.Name.Trim(), Form.AddressLine1.Trim(), Form.AddressLine2?.Trim(), Form.City.Trim(), Form.PostalCode.Trim(), Form.Country,
            Form.BillingEmail.Trim(), Form.VatId, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }
}
