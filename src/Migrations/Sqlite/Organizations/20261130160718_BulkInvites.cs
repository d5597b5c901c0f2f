using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Organizations
{
    /// <inheritdoc />
    public partial class BulkInvites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bulk_invites",
                schema: "organizations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedByEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RowCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UploadedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SendStartedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastProgressUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReportQueuedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bulk_invites", x => x.Id);
                    table.ForeignKey(
                        name: "FK_bulk_invites_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalSchema: "organizations",
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "bulk_invite_rows",
                schema: "organizations",
                columns: table => new
                {
                    BulkInviteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    EmailKey = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    RoleText = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    InOrganization = table.Column<bool>(type: "INTEGER", nullable: false),
                    InAnotherOrganization = table.Column<bool>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    InvitationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PendingToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ProcessedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bulk_invite_rows", x => new { x.BulkInviteId, x.Line });
                    table.ForeignKey(
                        name: "FK_bulk_invite_rows_bulk_invites_BulkInviteId",
                        column: x => x.BulkInviteId,
                        principalSchema: "organizations",
                        principalTable: "bulk_invites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invite_rows_BulkInviteId_EmailKey",
                schema: "organizations",
                table: "bulk_invite_rows",
                columns: new[] { "BulkInviteId", "EmailKey" });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invite_rows_BulkInviteId_Outcome",
                schema: "organizations",
                table: "bulk_invite_rows",
                columns: new[] { "BulkInviteId", "Outcome" });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invite_rows_BulkInviteId_State",
                schema: "organizations",
                table: "bulk_invite_rows",
                columns: new[] { "BulkInviteId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invites_OrganizationId_UploadedUtc",
                schema: "organizations",
                table: "bulk_invites",
                columns: new[] { "OrganizationId", "UploadedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_bulk_invites_Status",
                schema: "organizations",
                table: "bulk_invites",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bulk_invite_rows",
                schema: "organizations");

            migrationBuilder.DropTable(
                name: "bulk_invites",
                schema: "organizations");
        }
    }
}
