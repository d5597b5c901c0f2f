using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Organizations
{
    /// <inheritdoc />
    public partial class OrganizationUsersByEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_invitations_OrganizationId_Status",
                schema: "organizations",
                table: "invitations");

            migrationBuilder.CreateIndex(
                name: "IX_memberships_OrganizationId_Email_Id",
                schema: "organizations",
                table: "memberships",
                columns: new[] { "OrganizationId", "Email", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_invitations_OrganizationId_Status_Email_Id",
                schema: "organizations",
                table: "invitations",
                columns: new[] { "OrganizationId", "Status", "Email", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_memberships_OrganizationId_Email_Id",
                schema: "organizations",
                table: "memberships");

            migrationBuilder.DropIndex(
                name: "IX_invitations_OrganizationId_Status_Email_Id",
                schema: "organizations",
                table: "invitations");

            migrationBuilder.CreateIndex(
                name: "IX_invitations_OrganizationId_Status",
                schema: "organizations",
                table: "invitations",
                columns: new[] { "OrganizationId", "Status" });
        }
    }
}
