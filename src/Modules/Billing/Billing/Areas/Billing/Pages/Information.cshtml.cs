using System.ComponentModel.DataAnnotations;

namespace ChaosModular.Billing.Areas.Billing.Pages;

/// <summary>Who invoices are made out to. Changes reach invoices issued afterwards; issued invoices never change.</summary>
internal sealed class InformationModel(SaveBillingInformation save, ICurrentCustomer customer) : PageModel
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
        if (await save.CurrentAsync(customer.Id, cancellationToken) is { } current)
        {
            Form = new Input
            {
                Name = current.Name, AddressLine1 = current.AddressLine1, AddressLine2 = current.AddressLine2, City = current.City,
                PostalCode = current.PostalCode, Country = current.Country, BillingEmail = current.BillingEmail, VatId = current.VatId,
            };
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Form.Country = SaveBillingInformation.NormalizeCountry(Form.Country);
        var request = new SaveBillingInformation.Request(Form.Name, Form.AddressLine1, Form.AddressLine2, Form.City, Form.PostalCode, Form.Country, Form.BillingEmail, Form.VatId);
        foreach (var problem in SaveBillingInformation.Validate(request, ModelState.IsValid))
        {
            ModelState.AddModelError($"{nameof(Form)}.{problem.Field}", problem.Message);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await save.HandleAsync(customer.Id, request, cancellationToken);
        TempData["Flash"] = "Billing information saved. It will appear on your future invoices, including renewals.";
        return LocalReturnUrl is { } back ? LocalRedirect(back) : RedirectToPage();
    }
}
