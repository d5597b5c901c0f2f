using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>Borrow licenses: seats of a floating license for one machine's offline use until a return date.</summary>
internal sealed class BorrowModel(BorrowSeats borrow, ICurrentCustomer customer) : PageModel
{
    [BindProperty]
    public Input Form { get; set; } = new();

    public sealed class Input
    {
        [Display(Name = "License")]
        public Guid? LicenseId { get; set; }

        [Display(Name = "Seats")]
        public int Seats { get; set; } = 1;

        [Display(Name = "Machine")]
        public string? Machine { get; set; }

        [Display(Name = "Return date")]
        public DateOnly? ReturnOn { get; set; }
    }

    public BorrowSeats.Form Options { get; private set; } = null!;

    /// <summary>The chosen license's last return date, for the date input's upper bound.</summary>
    public DateOnly? LastReturnDate => Options.Licenses.FirstOrDefault(l => l.LicenseId == Form.LicenseId)?.LastReturnDate;

    public async Task OnGetAsync(Guid? license, CancellationToken cancellationToken)
    {
        Options = await borrow.FormAsync(customer.Id, cancellationToken);
        Form.LicenseId = license ?? Options.Licenses.FirstOrDefault(l => l.Free > 0)?.LicenseId ?? (Options.Licenses.Count > 0 ? Options.Licenses[0].LicenseId : null);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await borrow.HandleAsync(customer.Id, new BorrowSeats.Command(Form.LicenseId, Form.Seats, Form.Machine, Form.ReturnOn), cancellationToken);
            if (result.BorrowId is { } id)
            {
                TempData["Flash"] = $"{Form.Seats} seat(s) borrowed for {Form.Machine!.Trim()}. Download the borrow file and load it on the machine.";
                return RedirectToPage("/BorrowDetails", new { id });
            }
            foreach (var (member, problem) in result.Problems)
            {
                ModelState.AddModelError($"{nameof(Form)}.{member}", problem);
            }
        }
        Options = await borrow.FormAsync(customer.Id, cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
