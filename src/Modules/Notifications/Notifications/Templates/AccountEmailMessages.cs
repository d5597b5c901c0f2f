
namespace ChaosModular.Notifications.Templates;

/// <summary>Notifications' own emails, sent on Accounts' events; typed like the ones other modules ask for.</summary>
internal sealed record WelcomeEmail(string SourceKey, string ToAddress, string ToName, string CustomerNumber)
    : EmailMessage(SourceKey, ToAddress, ToName);

internal sealed record PasswordChangedEmail(string SourceKey, string ToAddress, string ToName, DateTime ChangedUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);

/// <summary>Forgot password: the single-use link to set a new password.</summary>
internal sealed record PasswordResetEmail(string SourceKey, string ToAddress, string ToName, string UserId, string Token, DateTime ExpiresUtc)
    : EmailMessage(SourceKey, ToAddress, ToName);
