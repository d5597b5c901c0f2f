using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>An administrator ends one allocation of the organization's account; its seats go back to the pool at once.</summary>
internal sealed class RevokeAllocation(OrganizationsDbContext db, OrganizationAdministrators administrators, ILicenseAllocationsApi allocations, OrganizationAudit audit)
{
    public enum Outcome
    {
        NotFound,
        AlreadyEnded,
        Revoked,
    }

    public sealed record Result(Outcome Outcome, string? Email = null, AllocationSummary? Allocation = null);

    public async Task<Result> HandleAsync(string administratorId, Guid allocationId, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return new Result(Outcome.NotFound);
        }
        var revocation = await allocations.RevokeAsync(organization.AccountId, allocationId, cancellationToken);
        if (revocation.Allocation is not { } revoked)
        {
            return new Result(Outcome.NotFound);
        }
        if (!revocation.Revoked)
        {
            // Ended meanwhile: revoked by another administrator, expired, or its holder left.
            return new Result(Outcome.AlreadyEnded, Allocation: revoked);
        }
        var email = await db.Memberships.AsNoTracking().Where(m => m.AccountId == revoked.UserId).Select(m => m.Email).FirstOrDefaultAsync(cancellationToken)
            ?? revoked.UserId;
        audit.Record(organization.Id, AuditAction.LicenseAllocationRevoked, [email],
            before: $"{revoked.ProductName} ×{revoked.Seats} until {AllocateLicenses.Day(revoked.ExpiresOn)}");
        await db.SaveChangesAsync(cancellationToken);
        return new Result(Outcome.Revoked, email, revoked);
    }
}
