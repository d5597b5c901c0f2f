namespace ChaosModular.Licensing.Features;

/// <summary>Why a license server's call was refused; the API answers each with its problem status.</summary>
internal enum Refusal
{
    /// <summary>The request is malformed (400).</summary>
    Invalid,

    /// <summary>Not allowed: a code unknown, used or expired, or a host bound to another account (403).</summary>
    Forbidden,

    /// <summary>No such thing for this server's account (404).</summary>
    NotFound,

    /// <summary>It exists, but the state forbids it: no seats free, license expired (409).</summary>
    Conflict,
}

/// <summary>What a license server's call came to: the answer, or a refusal with the reason a person can read.</summary>
internal sealed record ServerCallOutcome<T>(T? Value, Refusal? Refused, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static ServerCallOutcome<T> Done(T value) => new(value, null, "");

    public static ServerCallOutcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(default, Refusal.Invalid, string.Join(" ", errors.SelectMany(e => e.Value)), errors);

    public static ServerCallOutcome<T> Refuse(Refusal refusal, string detail) => new(default, refusal, detail);
}

/// <summary>Seats a server holds, as the API shows them (<c>POST /leases</c>, <c>POST /heartbeat</c>).</summary>
internal sealed record ServerLease(Guid LeaseId, Guid LicenseId, int Seats, DateTime ExpiresAt)
{
    /// <summary>Whole seconds, so times read <c>2026-11-30T12:00:00Z</c>; cut down, never past the real expiry.</summary>
    public static DateTime ApiTime(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static ServerLease Of(Lease lease) => new(lease.Id, lease.LicenseId, lease.Seats, ApiTime(lease.ExpiresUtc));
}
