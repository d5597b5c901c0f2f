
namespace ChaosModular.CloudCredits.Domain;

/// <summary>A user's role in an organization as far as credits go; None when the user belongs to no organization.</summary>
internal enum PoolRole
{
    None,
    Administrator,
    Member,
    Guest,
}

/// <summary>
/// Which pool a user's rendering is paid from. A member uses only what the organization allocated; a guest chooses
/// one pool at a time (their own credits unless they chose the organization's); everyone else, administrators
/// included, uses their own account's grants (for the account the organization was set up for, those are the pool).
/// </summary>
internal static class ActivePool
{
    public static CreditPool For(PoolRole role, CreditPool? guestChoice) => role switch
    {
        PoolRole.Member => CreditPool.Organization,
        PoolRole.Guest => guestChoice ?? CreditPool.Personal,
        _ => CreditPool.Personal,
    };

    /// <summary>Only a guest chooses.</summary>
    public static bool CanChoose(PoolRole role) => role == PoolRole.Guest;
}

/// <summary>A guest's choice of pool; without one a guest uses their own credits.</summary>
internal sealed class PoolChoice
{
    private PoolChoice() { }

    public string UserId { get; private set; } = "";
    public CreditPool Pool { get; private set; }
    public DateTime ChosenUtc { get; private set; }

    public static PoolChoice Choose(string userId, CreditPool pool, DateTime utcNow) =>
        new() { UserId = userId, Pool = pool, ChosenUtc = utcNow };

    public void Change(CreditPool pool, DateTime utcNow)
    {
        Pool = pool;
        ChosenUtc = utcNow;
    }
}
