using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Subscriptions
{
    /// <inheritdoc />
    public partial class SubscriptionOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpiredOn",
                schema: "subscriptions",
                table: "subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "orders",
                schema: "subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PlanCode = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    PricePerSeat = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    RenewalOf = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FromPlanCode = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InvoiceNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_orders_CustomerId",
                schema: "subscriptions",
                table: "orders",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_Kind",
                schema: "subscriptions",
                table: "orders",
                columns: new[] { "Status", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_SubscriptionId_RenewalOf",
                schema: "subscriptions",
                table: "orders",
                columns: new[] { "SubscriptionId", "RenewalOf" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "orders",
                schema: "subscriptions");

            migrationBuilder.DropColumn(
                name: "ExpiredOn",
                schema: "subscriptions",
                table: "subscriptions");
        }
    }
}
