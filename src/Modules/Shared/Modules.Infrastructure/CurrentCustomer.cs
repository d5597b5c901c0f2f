using System.Security.Claims;
using ChaosModular.Modules.Abstractions;
using Microsoft.AspNetCore.Http;

namespace ChaosModular.Modules.Infrastructure;

/// <summary>The customer of the current HTTP request: Identity's user id claim.</summary>
internal sealed class CurrentCustomer(IHttpContextAccessor http) : ICurrentCustomer
{
    public string Id => http.HttpContext?.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
}
