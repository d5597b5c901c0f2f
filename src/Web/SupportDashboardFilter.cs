using ChaosModular.Accounts.Contracts;
using Hangfire.Dashboard;

namespace ChaosModular.Web;

/// <summary>Second check behind the endpoint's Support policy: the dashboard never opens for anyone else.</summary>
internal sealed class SupportDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(PortalRoles.Support);
}
