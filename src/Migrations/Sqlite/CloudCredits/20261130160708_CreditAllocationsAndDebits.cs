using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.CloudCredits
{
    /// <inheritdoc />
    public partial class CreditAllocationsAndDebits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "credit_allocations",
                schema: "cloudcredits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PoolAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Limit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    Used = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllocatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_allocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "credit_debits",
                schema: "cloudcredits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Pool = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PoolAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AllocationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Credits = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AvailableAfter = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_debits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "pool_choices",
                schema: "cloudcredits",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Pool = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ChosenUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pool_choices", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "credit_debit_parts",
                schema: "cloudcredits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DebitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GrantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Credits = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_debit_parts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_credit_debit_parts_credit_debits_DebitId",
                        column: x => x.DebitId,
                        principalSchema: "cloudcredits",
                        principalTable: "credit_debits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_credit_allocations_OrganizationId_UserId",
                schema: "cloudcredits",
                table: "credit_allocations",
                columns: new[] { "OrganizationId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_credit_allocations_UserId_Active",
                schema: "cloudcredits",
                table: "credit_allocations",
                columns: new[] { "UserId", "Active" });

            migrationBuilder.CreateIndex(
                name: "IX_credit_debit_parts_DebitId",
                schema: "cloudcredits",
                table: "credit_debit_parts",
                column: "DebitId");

            migrationBuilder.CreateIndex(
                name: "IX_credit_debit_parts_GrantId",
                schema: "cloudcredits",
                table: "credit_debit_parts",
                column: "GrantId");

            migrationBuilder.CreateIndex(
                name: "IX_credit_debits_Service_RequestId",
                schema: "cloudcredits",
                table: "credit_debits",
                columns: new[] { "Service", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_credit_debits_UserId_AtUtc",
                schema: "cloudcredits",
                table: "credit_debits",
                columns: new[] { "UserId", "AtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credit_allocations",
                schema: "cloudcredits");

            migrationBuilder.DropTable(
                name: "credit_debit_parts",
                schema: "cloudcredits");

            migrationBuilder.DropTable(
                name: "pool_choices",
                schema: "cloudcredits");

            migrationBuilder.DropTable(
                name: "credit_debits",
                schema: "cloudcredits");
        }
    }
}
