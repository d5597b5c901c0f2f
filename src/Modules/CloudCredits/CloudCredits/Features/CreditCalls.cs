
namespace ChaosModular.CloudCredits.Features;

/// <summary>Why a service's call was refused; the API answers each with its problem status.</summary>
internal enum CreditRefusal
{
    /// <summary>The request is malformed (400).</summary>
    Invalid,

    /// <summary>No account has that id or email (404).</summary>
    UnknownAccount,

    /// <summary>The active pool has fewer credits than asked (409, with what is available).</summary>
    InsufficientCredits,

    /// <summary>The request id was used by this service for a debit with other content (409).</summary>
    RequestIdReused,
}

/// <summary>What a service's call came to: the answer, or a refusal with the reason a person can read.</summary>
internal sealed record CreditCallOutcome<T>(T? Value, CreditRefusal? Refused, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null, decimal? Available = null, bool Replayed = false)
{
    public static CreditCallOutcome<T> Done(T value, bool replayed = false) => new(value, null, "", Replayed: replayed);

    public static CreditCallOutcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(default, CreditRefusal.Invalid, string.Join(" ", errors.SelectMany(e => e.Value)), errors);

    public static CreditCallOutcome<T> Refuse(CreditRefusal refusal, string detail, decimal? available = null) => new(default, refusal, detail, Available: available);
}

/// <summary>How the API writes a pool.</summary>
internal static class PoolNames
{
    public static string Of(CreditPool pool) => pool == CreditPool.Organization ? "organization" : "personal";
}
