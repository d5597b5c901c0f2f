using ChaosModular.Modules.Abstractions;

namespace ChaosModular.Licensing.Contracts;

/// <summary>
/// Seats of an organization account's licenses allocated to the organization's members and guests. Organizations
/// decides who may ask (its administrators) and names the users; Licensing keeps the seats: an allocated seat is
/// reserved for its user, counted on the license beside seats in use and borrowed, and never more than the license has.
/// </summary>
public interface ILicenseAllocationsApi
{
    /// <summary>The account's licenses with how their seats are spread, active first, then by product and expiry.</summary>
    Task<IReadOnlyList<OrganizationLicense>> LicensesAsync(string organizationAccountId, CancellationToken cancellationToken);

    /// <summary>
    /// Allocates every line or none: a line with a problem, or a product without the free seats, and nothing is
    /// allocated (the answer says why, per product). Seats are claimed in one transaction, so racing requests never
    /// allocate more seats than are free.
    /// </summary>
    Task<AllocationOutcome> AllocateAsync(AllocationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Ends an allocation of the account and frees its seats. <see cref="AllocationRevocation.Allocation"/> is null when the
    /// account has no such allocation; <see cref="AllocationRevocation.Revoked"/> is false when it had already ended.
    /// </summary>
    Task<AllocationRevocation> RevokeAsync(string organizationAccountId, Guid allocationId, CancellationToken cancellationToken);

    /// <summary>The active allocations of the account to these users (one call for a page of users).</summary>
    Task<IReadOnlyList<AllocationSummary>> AllocationsOfAsync(string organizationAccountId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>The account's active allocations, by product then newest first, a page at a time.</summary>
    Task<PagedResult<AllocationSummary>> AllocationsAsync(string organizationAccountId, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>What the user holds from organizations: active allocations, any account's.</summary>
    Task<IReadOnlyList<AllocationSummary>> HeldByAsync(string userId, CancellationToken cancellationToken);
}

/// <param name="Allocated">Seats reserved for the organization's users; Available = Quantity − InUse − Borrowed − Allocated.</param>
public sealed record OrganizationLicense(Guid LicenseId, string ProductCode, string ProductName, string? LicenseType,
    int Quantity, int InUse, int Borrowed, int Allocated, int Available, DateOnly ExpiresOn, bool Active);

/// <param name="UserLabel">How messages name the user (their email).</param>
public sealed record AllocationLine(string UserId, string UserLabel, string ProductCode, int Seats, DateOnly ExpiresOn);

/// <param name="RequestedBy">The administrator's account, kept on each allocation.</param>
public sealed record AllocationRequest(string OrganizationAccountId, Guid OrganizationId, string RequestedBy, IReadOnlyList<AllocationLine> Lines);

/// <param name="Needed">Seats the request asked of the product; <paramref name="Free"/> its free seats.</param>
public sealed record ProductShortfall(string ProductCode, string ProductName, int Needed, int Free, string Message);

/// <summary>Either <see cref="Allocated"/> (every line) or the reasons nothing was: problems with the request, or products short of seats.</summary>
public sealed record AllocationOutcome(IReadOnlyList<AllocationSummary> Allocated, IReadOnlyList<string> Problems, IReadOnlyList<ProductShortfall> Shortfalls)
{
    public bool Succeeded => Problems.Count == 0 && Shortfalls.Count == 0;
}

/// <param name="Revoked">True only for the call that ended it (a claim): a second revoke, or one after it expired, is false.</param>
public sealed record AllocationRevocation(AllocationSummary? Allocation, bool Revoked);

/// <param name="OrganizationId">The organization that allocated it.</param>
/// <param name="ExpiresOn">The last day the user may use it.</param>
public sealed record AllocationSummary(Guid AllocationId, Guid LicenseId, Guid OrganizationId, string OrganizationAccountId, string UserId,
    string ProductCode, string ProductName, string? LicenseType, int Seats, DateOnly ExpiresOn, DateTime CreatedUtc);
