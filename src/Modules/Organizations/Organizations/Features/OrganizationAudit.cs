using ChaosModular.Accounts.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Adds audit lines to the organization's context; the caller's SaveChanges writes them with the change itself, so
/// the log never claims what did not happen. The actor is the signed-in user unless a job names who started it.
/// </summary>
internal sealed class OrganizationAudit(OrganizationsDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    public AuditActor CurrentActor
    {
        get
        {
            var user = http.HttpContext?.User;
            return new AuditActor(
                user?.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "system",
                user?.FindFirst(ClaimTypes.Email)?.Value ?? user?.Identity?.Name ?? "system",
                user?.IsInRole(PortalRoles.Support) ?? false);
        }
    }

    public void Record(Guid organizationId, AuditAction action, IReadOnlyCollection<string> subjects,
        string? before = null, string? after = null, AuditActor? actor = null) =>
        db.AuditEntries.Add(AuditEntry.Record(organizationId, actor ?? CurrentActor, action, subjects, before, after, clock.UtcNow()));
}
