using ChaosModular.Modules.Infrastructure;

namespace ChaosModular.Billing.Features;

/// <summary>Who invoices are made out to. Changes reach invoices issued afterwards; issued invoices never change.</summary>
internal sealed class SaveBillingInformation(BillingDbContext db, TimeProvider clock)
{
    public sealed record Request(string Name, string AddressLine1, string? AddressLine2, string City, string PostalCode, string Country, string BillingEmail, string? VatId);

    /// <param name="Field">The request's field the problem is about.</param>
    public sealed record Problem(string Field, string Message);

    /// <summary>What the customer gave so far, or null before anything was given.</summary>
    public async Task<Request?> CurrentAsync(string customerId, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.AsNoTracking().SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        return profile is null
            ? null
            : new Request(profile.Name, profile.AddressLine1, profile.AddressLine2, profile.City, profile.PostalCode, profile.Country, profile.BillingEmail, profile.VatId);
    }

    /// <summary>The country as it will be stored: its upper-case ISO code.</summary>
    public static string NormalizeCountry(string? country) => country?.Trim().ToUpperInvariant() ?? "";

    /// <summary>The problems with a request whose required fields are given; empty when it can be saved.</summary>
    public static IReadOnlyList<Problem> Validate(Request request, bool fieldsValid)
    {
        if (!Countries.IsKnown(request.Country))
        {
            return [new Problem(nameof(Request.Country), "Choose the billing country from the list.")];
        }
        return fieldsValid && VatId.Validate(request.VatId, request.Country) is { } vatError ? [new Problem(nameof(Request.VatId), vatError)] : [];
    }

    /// <summary>Saves a request that passed <see cref="Validate"/>.</summary>
    public async Task HandleAsync(string customerId, Request request, CancellationToken cancellationToken)
    {
        var profile = await db.Profiles.SingleOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        if (profile is null)
        {
            profile = BillingProfile.Create(customerId);
            db.Profiles.Add(profile);
            Update(profile, request);
            if (await db.TryInsertOnceAsync(cancellationToken))
            {
                return;
            }
            // The sign-up event handler created the profile at the same moment: update that one.
            profile = await db.Profiles.SingleAsync(p => p.CustomerId == customerId, cancellationToken);
        }
        Update(profile, request);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Update(BillingProfile profile, Request request) =>
        profile.Update(request.Name.Trim(), request.AddressLine1.Trim(), request.AddressLine2?.Trim(), request.City.Trim(), request.PostalCode.Trim(),
            NormalizeCountry(request.Country), request.BillingEmail.Trim(), request.VatId, clock.UtcNow());
}
