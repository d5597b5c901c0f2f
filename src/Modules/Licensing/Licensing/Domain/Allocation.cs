namespace ChaosModular.Licensing.Domain;

/// <summary>Why an allocation stopped.</summary>
internal enum AllocationEnded
{
    /// <summary>An administrator revoked it.</summary>
    Revoked,

    /// <summary>Its expiration date passed.</summary>
    Expired,

    /// <summary>Its holder left the organization.</summary>
    MemberLeft,

    /// <summary>The license lost seats, so it had more seats taken than it has (newest allocations end first).</summary>
    SeatsReduced,

    /// <summary>The license's subscription ended.</summary>
    LicenseExpired,
}

/// <summary>
/// Seats of an organization account's license reserved for one member or guest of the organization until the
/// expiration date (its last day, never after the license's). Counted as "allocated" on the license, so neither the
/// account's servers nor its borrows, nor another allocation, can take them meanwhile.
/// </summary>
internal sealed class Allocation
{
    private Allocation() { }

    public Guid Id { get; private set; }
    public Guid LicenseId { get; private set; }

    /// <summary>The organization's account: the license's owner.</summary>
    public string CustomerId { get; private set; } = "";
    public Guid OrganizationId { get; private set; }

    /// <summary>The member's or guest's account.</summary>
    public string UserId { get; private set; } = "";
    public int Seats { get; private set; }

    /// <summary>The last day the holder may use the seats.</summary>
    public DateOnly ExpiresOn { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime? EndedUtc { get; private set; }
    public AllocationEnded? EndReason { get; private set; }

    public bool IsActive => EndedUtc is null;

    public static Allocation Give(Guid licenseId, string customerId, Guid organizationId, string userId, int seats, DateOnly expiresOn, string createdBy, DateTime utcNow) =>
        seats < 1
            ? throw new ArgumentOutOfRangeException(nameof(seats), "An allocation has at least one seat.")
            : new()
            {
                Id = Guid.NewGuid(),
                LicenseId = licenseId,
                CustomerId = customerId,
                OrganizationId = organizationId,
                UserId = userId,
                Seats = seats,
                ExpiresOn = expiresOn,
                CreatedUtc = utcNow,
                CreatedBy = createdBy,
            };
}
